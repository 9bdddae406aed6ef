namespace OrleansMemory.Grains.Users;

/// <summary>An erasure under way is recorded as unfinished work (<see cref="IPendingWorkGrain"/>): after a crash it is
/// finished when the silo starts again, without waiting for a call to this user.</summary>
public sealed partial class UserGrain : IResumableGrain
{
    /// <summary>Called for a recorded user: its activation finished the erasure; the record is then forgotten (also
    /// when a crash came between recording the erasure and marking it).</summary>
    public Task ResumeAsync(CancellationToken cancellationToken = default) =>
        _profile.State.Erasing ? Task.CompletedTask : ForgetPendingWorkAsync();

    private Task RecordPendingWorkAsync() => PendingWork.ShardOf(GrainFactory, this.GetGrainId()).AddAsync(this.GetGrainId());

    private Task ForgetPendingWorkAsync() => PendingWork.ShardOf(GrainFactory, this.GetGrainId()).RemoveAsync(this.GetGrainId());
}
