namespace OrleansMemory.Abstractions;

/// <summary>A chat message for an LLM prompt.</summary>
/// <param name="Role">The role (<see cref="MessageRoles"/>).</param>
/// <param name="Content">The text.</param>
[GenerateSerializer, Alias("orleansmemory.ContextMessage")]
public sealed record ContextMessage(string Role, string Content);
