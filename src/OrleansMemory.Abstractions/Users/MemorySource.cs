namespace OrleansMemory.Abstractions;

/// <summary>Where a memory formed by a conversation came from.</summary>
/// <param name="ConversationId">The conversation, as its user's tenant names it.</param>
/// <param name="Sequences">The sequence numbers of the messages the memory was formed from, ascending.</param>
[GenerateSerializer, Immutable, Alias("orleansmemory.MemorySource")]
public sealed record MemorySource(string ConversationId, IReadOnlyList<long> Sequences)
{
    /// <summary>Prints no conversation id (ids stay out of logs).</summary>
    public override string ToString() => $"MemorySource {{ Sequences = {Sequences.Count} }}";
}
