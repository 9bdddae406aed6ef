using OrleansMemory.Abstractions;

namespace OrleansMemory.Grains.Conversations;

/// <summary>Erasing a conversation, resumably: the raw message log's head says an erasure is under way until that log,
/// cleared last, is gone; an activation that finds the mark finishes the erasure.</summary>
public sealed partial class ConversationGrain
{
    private async Task EraseAsync()
    {
        await RecordPendingWorkAsync(); // first: a crash after the mark is finished by the silo's next start
        await _messageLog.MarkErasingAsync();
        await _document.ClearAsync();
        await _chunks.ClearAsync();
        await _formationLog.ClearAsync();
        await _formationState.ClearAsync();
        await _messageLog.ClearAsync();
        await EraseEarlierVersionsAsync("current");
        await ForgetPendingWorkAsync();
    }

    /// <summary>Before the conversation is deleted: the memories it formed stay with their users, without the link to it.</summary>
    private async Task UnlinkFormedMemoriesAsync(CancellationToken cancellationToken)
    {
        await _formationState.EnsureLoadedAsync();
        var key = this.GetPrimaryKeyString();
        foreach (var user in _formationState.State.Users.ToArray())
        {
            await GrainFactory.GetGrain<IUserGrain>(user).UnlinkConversationAsync(key, cancellationToken);
        }
    }
}
