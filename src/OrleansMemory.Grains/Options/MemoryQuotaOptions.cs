namespace OrleansMemory.Grains;

/// <summary>Quotas of the memory grains: <see cref="Default"/> for every tenant, overridden per tenant in
/// <see cref="Tenants"/> (a tenant's entry sets only what differs). The tenant of a grain is the part of its key before
/// the first <c>/</c> (the HTTP API keys every grain <c>{tenant}/{id}</c>); keys without one use <see cref="Default"/>.</summary>
public sealed class MemoryQuotaOptions
{
    /// <summary>The quotas of every tenant without its own entry.</summary>
    public QuotaLimits Default { get; set; } = QuotaLimits.CreateDefaults();

    /// <summary>Per-tenant overrides, by tenant.</summary>
    public Dictionary<string, QuotaLimits> Tenants { get; set; } = new(StringComparer.Ordinal);

    /// <summary>The effective limits of the tenant of <paramref name="grainKey"/>.</summary>
    public EffectiveQuota For(string grainKey)
    {
        ArgumentNullException.ThrowIfNull(grainKey);
        var slash = grainKey.IndexOf('/', StringComparison.Ordinal);
        var tenant = slash < 0 ? null : grainKey[..slash];
        var own = tenant is not null && Tenants.TryGetValue(tenant, out var limits) ? limits : null;
        return new EffectiveQuota(
            own?.MaxMemoriesPerUser ?? Default.MaxMemoriesPerUser ?? long.MaxValue,
            own?.MaxBytesPerUser ?? Default.MaxBytesPerUser ?? long.MaxValue,
            own?.MaxMessagesPerConversation ?? Default.MaxMessagesPerConversation ?? long.MaxValue,
            own?.MaxBytesPerConversation ?? Default.MaxBytesPerConversation ?? long.MaxValue);
    }
}

/// <summary>Quota limits; null inherits (from <see cref="MemoryQuotaOptions.Default"/>, or unlimited there).</summary>
public sealed class QuotaLimits
{
    /// <summary>Stored memories (live and archived) per user.</summary>
    public long? MaxMemoriesPerUser { get; set; }

    /// <summary>Bytes of memories per user: UTF-8 text, type and metadata JSON, and 4 bytes per embedding value.</summary>
    public long? MaxBytesPerUser { get; set; }

    /// <summary>Raw messages per conversation.</summary>
    public long? MaxMessagesPerConversation { get; set; }

    /// <summary>Bytes of raw messages per conversation: UTF-8 content and metadata JSON.</summary>
    public long? MaxBytesPerConversation { get; set; }

    /// <summary>The built-in defaults: 100,000 memories and 1 GiB per user (room for 100,000 memories with 1,536-dimension
    /// embeddings, 614 MB of vectors), 1,000,000 messages and 1 GiB per conversation.</summary>
    public static QuotaLimits CreateDefaults() => new()
    {
        MaxMemoriesPerUser = 100_000,
        MaxBytesPerUser = 1024L * 1024 * 1024,
        MaxMessagesPerConversation = 1_000_000,
        MaxBytesPerConversation = 1024L * 1024 * 1024,
    };
}

/// <summary>The limits that apply to one grain.</summary>
/// <param name="MemoriesPerUser">Stored memories per user.</param>
/// <param name="BytesPerUser">Bytes of memories per user.</param>
/// <param name="MessagesPerConversation">Raw messages per conversation.</param>
/// <param name="BytesPerConversation">Bytes of raw messages per conversation.</param>
public sealed record EffectiveQuota(long MemoriesPerUser, long BytesPerUser, long MessagesPerConversation, long BytesPerConversation);
