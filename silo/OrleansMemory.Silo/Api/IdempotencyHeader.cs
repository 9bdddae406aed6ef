using OrleansMemory.Abstractions;

namespace OrleansMemory.Silo.Api;

/// <summary>The <c>Idempotency-Key</c> request header of the write routes (docs/http-api.md): optional, one value of 1 to
/// 200 printable ASCII characters (<see cref="IdempotencyKeys"/>), else 400. The key is passed to the grain, which
/// stores only its hash; it is never logged.</summary>
internal static class IdempotencyHeader
{
    /// <summary>The header's name.</summary>
    public const string Name = "Idempotency-Key";

    /// <summary>The request's key, or null without the header.</summary>
    public static string? Of(HttpContext http)
    {
        var values = http.Request.Headers[Name];
        if (values.Count == 0)
        {
            return null;
        }

        if (values.Count > 1)
        {
            throw new ApiValidationException(Name, "Send one Idempotency-Key header.");
        }

        var key = values[0] ?? string.Empty;
        return IdempotencyKeys.Problem(key) is { } problem ? throw new ApiValidationException(Name, problem) : key;
    }
}
