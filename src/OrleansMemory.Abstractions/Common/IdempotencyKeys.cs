namespace OrleansMemory.Abstractions;

/// <summary>The rules of an idempotency key (the HTTP <c>Idempotency-Key</c> header, the <c>idempotencyKey</c>
/// argument of grain methods and <c>MemoryStore</c>): 1 to <see cref="MaxLength"/> printable ASCII characters
/// (U+0020..U+007E). A write sent again with the same key within the grain's idempotency window answers with its first
/// outcome and stores nothing; the same key with a different request is refused
/// (<see cref="IdempotencyKeyReusedException"/>). Keys are stored only as a hash and never logged.</summary>
public static class IdempotencyKeys
{
    /// <summary>The longest key accepted.</summary>
    public const int MaxLength = 200;

    /// <summary>Why <paramref name="key"/> is not a valid idempotency key, or null when it is (null means no key).</summary>
    public static string? Problem(string? key)
    {
        if (key is null)
        {
            return null;
        }

        if (key.Length is 0 or > MaxLength)
        {
            return $"An idempotency key has 1 to {MaxLength} characters; this one has {key.Length}.";
        }

        foreach (var c in key)
        {
            if (c is < ' ' or > '~')
            {
                return "An idempotency key holds printable ASCII characters only (U+0020..U+007E).";
            }
        }

        return null;
    }
}
