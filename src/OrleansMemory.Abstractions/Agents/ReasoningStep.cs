using System.Text;
using System.Text.Json;

namespace OrleansMemory.Abstractions;

/// <summary>One step of a reasoning chain.</summary>
/// <param name="Kind">Thought, tool call, tool result or final answer.</param>
/// <param name="Content">The step's text.</param>
/// <param name="Timestamp">When the step happened; default lets the grain use the time the chain was stored.</param>
/// <param name="ToolName">The tool, for tool calls and results.</param>
/// <param name="Arguments">The tool call's arguments (JSON).</param>
/// <param name="Result">The tool's result (JSON).</param>
/// <param name="InputTokens">Prompt tokens spent on the step, if known.</param>
/// <param name="OutputTokens">Completion tokens spent on the step, if known.</param>
[GenerateSerializer, Alias("orleansmemory.ReasoningStep")]
public sealed record ReasoningStep(
    ReasoningStepKind Kind,
    string Content,
    DateTimeOffset Timestamp = default,
    string? ToolName = null,
    JsonElement? Arguments = null,
    JsonElement? Result = null,
    int? InputTokens = null,
    int? OutputTokens = null)
{
    /// <summary>Prints no text, key or id (only counts, scores, states and times), so that no log line, Orleans' own
    /// included, can carry what a user wrote.</summary>
    private bool PrintMembers(StringBuilder builder)
    {
        builder
            .Append("Kind = ").Append(Kind)
            .Append(", Timestamp = ").Append(Timestamp)
            .Append(", InputTokens = ").Append(InputTokens)
            .Append(", OutputTokens = ").Append(OutputTokens);
        return true;
    }
}
