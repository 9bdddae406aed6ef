using System.Text.Json;
using Microsoft.Extensions.Options;
using OrleansMemory.Abstractions;
using OrleansMemory.Silo.Api;
using OrleansMemory.Silo.Configuration;
using OrleansMemory.Silo.Hosting;
using OrleansMemory.Silo.Metrics;

namespace OrleansMemory.Silo.Dashboard;

/// <summary>Builds the memory dashboard's summary from the membership, the storage catalogs, the user grains and this
/// silo's running totals.</summary>
public sealed class DashboardFeed(
    IServiceProvider services,
    IGrainFactory grains,
    MetricsSampler sampler,
    StorageTopology storage,
    IOptions<SiloOptions> options,
    TimeProvider time)
{
    /// <summary>At most this many users are asked for their figures per summary.</summary>
    public const int MaxUsersScanned = 1000;

    /// <summary>How long a dead silo stays listed (as dead) after its last sign of life.</summary>
    public static readonly TimeSpan DeadSiloRetention = TimeSpan.FromMinutes(10);

    /// <summary>The summary.</summary>
    public async Task<DashboardSummary> GetSummaryAsync(CancellationToken cancellationToken)
    {
        var o = options.Value;
        var now = time.GetUtcNow();
        var silos = Silos(await grains.GetGrain<IManagementGrain>(0).GetDetailedHosts(onlyActive: false), now);

        var providers = new List<ProviderStatistics>();
        foreach (var provider in storage.Providers)
        {
            var stats = SystemEndpoints.Catalog(services, provider.Name) is { } catalog ? await catalog.GetStatisticsAsync(cancellationToken) : null;
            providers.Add(new ProviderStatistics(provider.Name, provider.Type, provider.Location, stats?.RecordCount ?? 0, stats?.PayloadBytes ?? 0, stats?.GrainTypes ?? []));
        }

        long Grains(string grainType) => providers.SelectMany(p => p.GrainTypes).Where(t => t.GrainType == grainType).Sum(t => t.GrainCount);
        var users = await ScanUsersAsync(cancellationToken);
        var samples = sampler.Samples().Append(sampler.Sample(keep: false)).ToList();
        var last = samples[^1];
        return new DashboardSummary(
            now, o.ClusterId, o.Clustering.Kind, o.EffectiveSiloName, DashboardEndpoints.OrleansDashboardPath + "/",
            silos, silos.Count(s => s.Status == "active"),
            Grains("user"), Grains("conversation"), Grains("agent"), users.Memories, users.Pending, users.Scanned, users.Truncated,
            last.Operations, last.FailedOperations, Points(samples), providers);
    }

    /// <summary>The silos to show: every one not dead, and dead ones seen alive within <see cref="DeadSiloRetention"/>; by name.</summary>
    internal static IReadOnlyList<DashboardSilo> Silos(IEnumerable<MembershipEntry> hosts, DateTimeOffset now) => [.. hosts
        .Where(e => e.Status != SiloStatus.Dead || now - LastSeen(e) < DeadSiloRetention)
        .OrderBy(e => e.Status == SiloStatus.Dead).ThenBy(e => e.SiloName, StringComparer.Ordinal)
        .Select(e => new DashboardSilo(
            e.SiloName, e.SiloAddress.Endpoint.ToString(), JsonNamingPolicy.SnakeCaseLower.ConvertName(e.Status.ToString()), e.StartTime,
            e.Status == SiloStatus.Dead ? 0 : (long)Math.Max(0, (now - e.StartTime).TotalSeconds), LastSeen(e)))];

    private static DateTimeOffset LastSeen(MembershipEntry e) => new(DateTime.SpecifyKind(e.IAmAliveTime > e.StartTime ? e.IAmAliveTime : e.StartTime, DateTimeKind.Utc));

    private async Task<(long Memories, int Pending, int Scanned, bool Truncated)> ScanUsersAsync(CancellationToken cancellationToken)
    {
        long memories = 0;
        int pending = 0, scanned = 0;
        foreach (var provider in storage.Providers)
        {
            if (SystemEndpoints.Catalog(services, provider.Name) is not { } catalog)
            {
                continue;
            }

            await foreach (var id in catalog.StreamGrainIdsAsync("user", 500, cancellationToken))
            {
                if (scanned == MaxUsersScanned)
                {
                    return (memories, pending, scanned, true);
                }

                scanned++;
                var stats = await grains.GetGrain<IUserGrain>(id.Key.ToString()).GetStatsAsync(cancellationToken);
                memories += stats.MemoryCount;
                pending += stats.PendingConflicts;
            }
        }

        return (memories, pending, scanned, false);
    }

    private static List<DashboardPoint> Points(List<TallySnapshot> samples)
    {
        var points = new List<DashboardPoint>();
        for (var i = 1; i < samples.Count; i++)
        {
            var (a, b) = (samples[i - 1], samples[i]);
            var seconds = Math.Max((b.At - a.At).TotalSeconds, 0.001);
            var count = b.Operations - a.Operations;
            var storageCount = b.StorageOperations - a.StorageOperations;
            points.Add(new DashboardPoint(
                b.At, count / seconds, (b.FailedOperations - a.FailedOperations) / seconds,
                count > 0 ? (b.DurationMs - a.DurationMs) / count : 0, Percentile(a, b, 0.95),
                storageCount / seconds, storageCount > 0 ? (b.StorageMs - a.StorageMs) / storageCount : 0, (b.StorageBytes - a.StorageBytes) / seconds));
        }

        return points;
    }

    private static double Percentile(TallySnapshot a, TallySnapshot b, double quantile)
    {
        var deltas = b.DurationBuckets.Zip(a.DurationBuckets, (x, y) => x - y).ToArray();
        var total = deltas.Sum();
        long seen = 0;
        for (var i = 0; i < deltas.Length && total > 0; i++)
        {
            seen += deltas[i];
            if (seen >= quantile * total)
            {
                return MetricsTally.BucketsMs[Math.Min(i, MetricsTally.BucketsMs.Length - 1)];
            }
        }

        return 0;
    }
}
