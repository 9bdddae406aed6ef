using System.Diagnostics.Metrics;
using OrleansMemory.Abstractions;

namespace OrleansMemory.Grains;

/// <summary>The <c>OrleansMemory.Quotas</c> meter: <c>orleansmemory.quota.rejections</c> counts writes refused by a
/// quota, tagged <c>kind</c> (<c>user_memories</c>, <c>user_bytes</c>, <c>conversation_messages</c>,
/// <c>conversation_bytes</c>).</summary>
public static class QuotaMeter
{
    /// <summary>The meter's name.</summary>
    public const string MeterName = "OrleansMemory.Quotas";

    /// <summary>The rejection counter's name.</summary>
    public const string RejectionsName = "orleansmemory.quota.rejections";

    /// <summary>The tag naming the quota.</summary>
    public const string KindTag = "kind";

    private static readonly Meter Meter = new(MeterName);
    private static readonly Counter<long> Rejections = Meter.CreateCounter<long>(RejectionsName, "{write}", "Writes refused because a quota was reached.");

    /// <summary>Throws <see cref="QuotaExceededException"/> (and counts the rejection) when <paramref name="used"/> plus
    /// <paramref name="requested"/> exceeds <paramref name="limit"/>.</summary>
    public static void Check(string kind, long limit, long used, long requested)
    {
        if (requested > 0 && used + requested > limit)
        {
            Rejections.Add(1, new KeyValuePair<string, object?>(KindTag, kind));
            throw new QuotaExceededException(kind, limit, used, requested);
        }
    }
}
