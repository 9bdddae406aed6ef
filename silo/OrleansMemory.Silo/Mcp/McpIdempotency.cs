using OrleansMemory.Abstractions;
using OrleansMemory.Silo.Api;

namespace OrleansMemory.Silo.Mcp;

/// <summary>The optional <c>idempotency_key</c> argument of the MCP write tools: the Idempotency-Key header of the HTTP
/// routes, with the same rules (<see cref="IdempotencyKeys"/>).</summary>
internal static class McpIdempotency
{
    /// <summary>The argument's description in the tool's input schema.</summary>
    public const string Help = "Optional, 1-200 printable ASCII characters: a retry of this call with the same key (after a timeout or an error " +
        "whose outcome is unknown) answers with the first outcome and stores nothing; another request with the same key is refused.";

    /// <summary>The key, checked; null without one.</summary>
    public static string? Check(string? key) =>
        IdempotencyKeys.Problem(key) is { } problem ? throw new ApiValidationException("idempotency_key", problem) : key;
}
