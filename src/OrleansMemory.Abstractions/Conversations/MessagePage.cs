namespace OrleansMemory.Abstractions;

/// <summary>A page of raw messages in sequence order.</summary>
/// <param name="Messages">The messages.</param>
/// <param name="HasMore">Whether messages follow the last one returned; continue with its <see cref="RawMessage.Sequence"/>.</param>
/// <param name="TotalCount">The number of messages in the history.</param>
[GenerateSerializer, Alias("orleansmemory.MessagePage")]
public sealed record MessagePage(IReadOnlyList<RawMessage> Messages, bool HasMore, long TotalCount);
