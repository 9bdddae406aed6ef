namespace OrleansMemory.Abstractions;

/// <summary>One conversation known to a directory.</summary>
/// <param name="ConversationId">The conversation's grain key.</param>
/// <param name="CreatedAt">When it was first registered.</param>
/// <param name="UpdatedAt">When it was last touched.</param>
[GenerateSerializer, Alias("orleansmemory.ConversationEntry")]
public sealed record ConversationEntry(string ConversationId, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt);
