using OrleansMemory.Abstractions;

namespace OrleansMemory.Grains;

/// <summary>A batch of a conversation's new messages to extract memories from.</summary>
/// <param name="Messages">The new messages, in sequence order.</param>
/// <param name="Context">A few messages before them, for context only (nothing is extracted from them).</param>
/// <param name="Instructions">The conversation's custom instructions (the <c>llm</c> extractor includes them).</param>
public sealed record ExtractionRequest(IReadOnlyList<RawMessage> Messages, IReadOnlyList<RawMessage> Context, string? Instructions)
{
    /// <summary>Prints no text.</summary>
    public override string ToString() => $"ExtractionRequest {{ Messages = {Messages.Count}, Context = {Context.Count} }}";
}
