namespace OrleansMemory.Grains.Conversations;

/// <summary>Unfinished work a conversation records (<see cref="IPendingWorkGrain"/>), so that a crash does not leave it
/// waiting for the conversation's next call: an erasure under way, and a formation backlog (recorded once per
/// activation when formation starts working, and forgotten when the activation ends with nothing pending).</summary>
public sealed partial class ConversationGrain : IResumableGrain
{
    private bool _workRecorded;

    /// <summary>Called for a recorded conversation: its activation resumed the work; a record with nothing left to do
    /// (the work finished, or a crash came between recording it and starting it) is forgotten.</summary>
    public async Task ResumeAsync(CancellationToken cancellationToken = default)
    {
        _workRecorded = true;
        if (NothingUnfinished)
        {
            await ForgetPendingWorkAsync();
        }
    }

    /// <inheritdoc />
    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        if (_workRecorded && NothingUnfinished)
        {
            await ForgetPendingWorkAsync();
        }
    }

    /// <summary>No erasure under way and no formation backlog.</summary>
    private bool NothingUnfinished => !_messageLog.IsErasing && Pending == 0;

    private async Task RecordPendingWorkAsync()
    {
        if (!_workRecorded)
        {
            await PendingWork.ShardOf(GrainFactory, this.GetGrainId()).AddAsync(this.GetGrainId());
            _workRecorded = true;
        }
    }

    private async Task ForgetPendingWorkAsync()
    {
        await PendingWork.ShardOf(GrainFactory, this.GetGrainId()).RemoveAsync(this.GetGrainId());
        _workRecorded = false;
    }
}
