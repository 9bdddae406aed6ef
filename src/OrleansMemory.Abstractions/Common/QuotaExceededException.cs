namespace OrleansMemory.Abstractions;

/// <summary>A write would take a user or conversation beyond its quota (memories, messages or stored bytes); nothing
/// was stored. The HTTP layer maps it to 429 with the quota's kind, limit and current use.</summary>
[GenerateSerializer, Alias("orleansmemory.QuotaExceededException")]
public sealed class QuotaExceededException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="kind">The quota, for example <c>user_memories</c> or <c>conversation_bytes</c>.</param>
    /// <param name="limit">The quota's limit.</param>
    /// <param name="used">What is used already.</param>
    /// <param name="requested">What the write would add.</param>
    public QuotaExceededException(string kind, long limit, long used, long requested)
        : base($"The {kind.Replace('_', ' ')} quota is {limit}; {used} are used and this write adds {requested}. Delete data or ask the operator for a larger quota.")
    {
        _kind = kind;
        _limit = limit;
        _used = used;
        _requested = requested;
    }

    [Id(0)]
    private readonly string _kind;

    [Id(1)]
    private readonly long _limit;

    [Id(2)]
    private readonly long _used;

    [Id(3)]
    private readonly long _requested;

    /// <summary>The quota, for example <c>user_memories</c>.</summary>
    public string Kind => _kind;

    /// <summary>The quota's limit.</summary>
    public long Limit => _limit;

    /// <summary>What is used already.</summary>
    public long Used => _used;

    /// <summary>What the write would add.</summary>
    public long Requested => _requested;
}
