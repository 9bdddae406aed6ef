namespace OrleansMemory.Abstractions;

/// <summary>An index of conversations (key = directory name, for example a tenant), so that conversations can be
/// listed without scanning storage. Callers register a conversation when they store into it.</summary>
[Alias("orleansmemory.IConversationDirectoryGrain")]
public interface IConversationDirectoryGrain : IGrainWithStringKey
{
    /// <summary>Registers a conversation or updates its last-touched time.</summary>
    Task TouchAsync(string conversationId, CancellationToken cancellationToken = default);

    /// <summary>Removes a conversation from the index.</summary>
    Task RemoveAsync(string conversationId, CancellationToken cancellationToken = default);

    /// <summary>Conversations in registration order, from <paramref name="offset"/>, at most <paramref name="limit"/>.</summary>
    Task<IReadOnlyList<ConversationEntry>> ListAsync(int offset = 0, int limit = 1000, CancellationToken cancellationToken = default);

    /// <summary>The number of conversations in the index.</summary>
    Task<int> CountAsync(CancellationToken cancellationToken = default);
}
