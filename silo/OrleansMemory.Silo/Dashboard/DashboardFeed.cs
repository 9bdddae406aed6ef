using System.Text.Json;
using Microsoft.Extensions.Options;
using OrleansMemory.Abstractions;
using OrleansMemory.Silo.Api;
using OrleansMemory.Silo.Configuration;
using OrleansMemory.Silo.Hosting;
using OrleansMemory.Silo.Metrics;

namespace OrleansMemory.Silo.Dashboard;

/// <summary>Builds the dashboard's summary from the metrics, the storage catalogs and the user grains.</summary>
public sealed class DashboardFeed(
    IServiceProvider services,
    IGrainFactory grains,
    MetricsCollector collector,
    MetricsSampler sampler,
    StorageTopology storage,
    IOptions<SiloOptions> options,
    TimeProvider time)
{
    /// <summary>At most this many users are asked for their pending conflicts per summary.</summary>
    public const int MaxUsersScanned = 1000;

    /// <summary>The summary.</summary>
    public async Task<DashboardSummary> GetSummaryAsync(CancellationToken cancellationToken)
    {
        var o = options.Value;
        var now = time.GetUtcNow();
        var hosts = await grains.GetGrain<IManagementGrain>(0).GetDetailedHosts(onlyActive: false);
        IReadOnlyList<DashboardSilo> silos = [.. hosts
            .Where(e => e.Status != SiloStatus.Dead || now - e.IAmAliveTime < TimeSpan.FromMinutes(10))
            .OrderBy(e => e.SiloName, StringComparer.Ordinal)
            .Select(e => new DashboardSilo(e.SiloName, e.SiloAddress.Endpoint.ToString(), JsonNamingPolicy.SnakeCaseLower.ConvertName(e.Status.ToString()),
                e.StartTime, (long)(now - e.StartTime).TotalSeconds))];

        collector.Collect(); // reads the observable instruments (activations) now
        var activations = collector.Find("orleansmemory.grain.activations")?.Series
            .GroupBy(s => s.Tags.FirstOrDefault(t => t.Key == "grain.type").Value ?? "")
            .ToDictionary(g => g.Key, g => (long)g.Sum(s => s.Value), StringComparer.Ordinal) ?? [];

        var providers = new List<ProviderStatistics>();
        foreach (var provider in storage.Providers)
        {
            var stats = SystemEndpoints.Catalog(services, provider.Name) is { } catalog ? await catalog.GetStatisticsAsync(cancellationToken) : null;
            providers.Add(new ProviderStatistics(provider.Name, provider.Type, provider.Location, stats?.RecordCount ?? 0, stats?.PayloadBytes ?? 0, stats?.GrainTypes ?? []));
        }

        var (pending, scanned, truncated) = await CountPendingConflictsAsync(cancellationToken);
        var samples = sampler.Samples().Append(sampler.Sample(keep: false)).ToList();
        var calls = collector.Find("orleansmemory.grain.calls")?.Total ?? 0;
        var failed = collector.Find("orleansmemory.grain.calls.failed")?.Total ?? 0;
        return new DashboardSummary(
            now, o.ClusterId, o.Clustering.Kind, silos, activations, activations.Values.Sum(), (long)calls, (long)failed,
            Points(samples), providers, pending, scanned, truncated);
    }

    private async Task<(int Pending, int Scanned, bool Truncated)> CountPendingConflictsAsync(CancellationToken cancellationToken)
    {
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
                    return (pending, scanned, true);
                }

                scanned++;
                pending += (await grains.GetGrain<IUserGrain>(id.Key.ToString()).GetStatsAsync(cancellationToken)).PendingConflicts;
            }
        }

        return (pending, scanned, false);
    }

    private static List<DashboardPoint> Points(List<MetricsSample> samples)
    {
        var points = new List<DashboardPoint>();
        for (var i = 1; i < samples.Count; i++)
        {
            var (a, b) = (samples[i - 1], samples[i]);
            var seconds = Math.Max((b.At - a.At).TotalSeconds, 0.001);
            var count = b.DurationCount - a.DurationCount;
            var mean = count > 0 ? (b.DurationSumMs - a.DurationSumMs) / count : 0;
            points.Add(new DashboardPoint(b.At, (b.Calls - a.Calls) / seconds, (b.FailedCalls - a.FailedCalls) / seconds, mean, Percentile(a, b, 0.95)));
        }

        return points;
    }

    private static double Percentile(MetricsSample a, MetricsSample b, double quantile)
    {
        var deltas = b.DurationBuckets.Zip(a.DurationBuckets, (x, y) => x - y).ToArray();
        var total = deltas.Sum();
        if (total == 0)
        {
            return 0;
        }

        long seen = 0;
        for (var i = 0; i < deltas.Length; i++)
        {
            seen += deltas[i];
            if (seen >= quantile * total)
            {
                return i < MetricsCollector.Buckets.Length ? MetricsCollector.Buckets[i] : MetricsCollector.Buckets[^1];
            }
        }

        return MetricsCollector.Buckets[^1];
    }
}
