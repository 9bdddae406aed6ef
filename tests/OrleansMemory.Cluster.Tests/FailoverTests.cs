using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Configuration;
using OrleansMemory.Abstractions;
using OrleansMemory.Client;
using OrleansMemory.Hosting;
using Xunit.Abstractions;

namespace OrleansMemory.Cluster.Tests;

/// <summary>Three silo processes sharing a membership table and grain storage; an agent host in this process writes
/// through Orleans' cluster client while one silo is killed with SIGKILL. Every acknowledged write must be read back,
/// and the seconds until every grain answers again are reported.</summary>
public abstract class FailoverScenarios(ITestOutputHelper output)
{
    private const int Conversations = 60;
    private const int Writers = 6;

    /// <summary>Silo settings for the backend (clustering and storage).</summary>
    protected abstract IReadOnlyDictionary<string, string> BackendSettings(string serviceId);

    /// <summary>Configures the cluster client's membership for the backend.</summary>
    protected abstract void ConfigureClient(IClientBuilder client);

    [ServerFact]
    public async Task Killed_silo_loses_no_acknowledged_write_and_its_grains_come_back()
    {
        var serviceId = "failover-" + Guid.NewGuid().ToString("N")[..10];
        var settings = new Dictionary<string, string>(BackendSettings(serviceId))
        {
            ["OrleansMemory:ClusterId"] = serviceId,
            ["OrleansMemory:ServiceId"] = serviceId,
        };
        await SiloCluster.RunAsync("silo", settings, output, async silos =>
        {
            using var host = await StartClientAsync(serviceId);
            var grains = host.Services.GetRequiredService<IClusterClient>();
            var store = host.Services.GetRequiredService<MemoryStore>();
            Assert.True(await store.StoreConversationAsync("facade", System.Text.Json.JsonSerializer.SerializeToElement(new { title = "from another process" })));
            Assert.Equal("from another process", (await store.LoadConversationAsync("facade"))!.Value.GetProperty("title").GetString());
            await WaitForGrainsOnEverySiloAsync(grains);

            var result = await WriteWhileKillingAsync(grains, silos[1]);

            var acknowledged = result.Acknowledged.Sum(p => p.Value.Count);
            var found = 0;
            foreach (var (conversation, ids) in result.Acknowledged)
            {
                var stored = (await grains.GetGrain<IConversationGrain>(conversation).GetMessagesAsync(0, 10_000)).Messages.Select(m => m.Id).ToHashSet(StringComparer.Ordinal);
                found += ids.Count(stored.Contains);
            }

            output.WriteLine($"{GetType().Name}: acknowledged {acknowledged} writes ({result.AcknowledgedAfterKill} after the kill), read back {found}; " +
                $"{result.Failed} writes failed and were reported to the writer; every grain answered again {result.RecoverySeconds:F2} s after SIGKILL");
            Assert.Equal(acknowledged, found);
            Assert.True(result.AcknowledgedAfterKill > 0, "No write succeeded after the kill.");
            Assert.True(result.RecoverySeconds < 30, $"Grains answered again only after {result.RecoverySeconds:F1} s.");
            Assert.All(silos.Where(s => s != silos[1]), s => Assert.False(s.HasExited, s.Log));
        });
    }

    private async Task<IHost> StartClientAsync(string serviceId)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.UseOrleansClient(client =>
        {
            client.Configure<ClusterOptions>(o =>
            {
                o.ClusterId = serviceId;
                o.ServiceId = serviceId;
            });
            client.Configure<ClientMessagingOptions>(o => o.ResponseTimeout = TimeSpan.FromSeconds(5));
            client.Configure<GatewayOptions>(o => o.GatewayListRefreshPeriod = TimeSpan.FromSeconds(1));
            ConfigureClient(client);
        });
        builder.Services.AddMemoryStore(o => o.DirectoryKey = "failover");
        var host = builder.Build();
        await host.StartAsync();
        return host;
    }

    /// <summary>Until the grains are spread over all three silos (placement needs every silo in the client's view).</summary>
    private static async Task WaitForGrainsOnEverySiloAsync(IClusterClient grains)
    {
        var management = grains.GetGrain<IManagementGrain>(0);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while ((await management.GetHosts(onlyActive: true)).Count < 3 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(200);
        }

        await Task.WhenAll(Enumerable.Range(0, Conversations).Select(i => grains.GetGrain<IConversationGrain>(Key(i)).GetMessageCountAsync()));
    }

    private async Task<WriteResult> WriteWhileKillingAsync(IClusterClient grains, SiloProcess victim)
    {
        var acknowledged = new ConcurrentDictionary<string, ConcurrentBag<string>>(StringComparer.Ordinal);
        long failed = 0, afterKill = 0;
        var killed = 0;
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var writers = Enumerable.Range(0, Writers).Select(w => Task.Run(async () =>
        {
            for (var n = 0; !stop.IsCancellationRequested; n++)
            {
                var conversation = Key(((n * Writers) + w) % Conversations);
                var id = $"w{w}-{n}";
                try
                {
                    await grains.GetGrain<IConversationGrain>(conversation).AppendMessageAsync(new RawMessage(id, MessageRoles.User, "message " + id)).WaitAsync(TimeSpan.FromSeconds(5));
                    acknowledged.GetOrAdd(conversation, _ => []).Add(id);
                    if (Volatile.Read(ref killed) == 1)
                    {
                        Interlocked.Increment(ref afterKill);
                    }
                }
                catch (Exception ex) when (ex is not OutOfMemoryException)
                {
                    Interlocked.Increment(ref failed);
                    await Task.Delay(50);
                }
            }
        })).ToList();

        await Task.Delay(TimeSpan.FromSeconds(3));
        output.WriteLine($"killing {victim.Name} (silo port {victim.SiloPort}) after {acknowledged.Sum(p => p.Value.Count)} acknowledged writes");
        var clock = Stopwatch.StartNew();
        victim.Kill();
        Volatile.Write(ref killed, 1);
        var recovery = await SecondsUntilEveryGrainAnswersAsync(grains, clock);
        // Longer than a write's own timeout (5 s): a writer whose call was in flight to the killed silo is back to writing.
        await Task.Delay(TimeSpan.FromSeconds(6));
        await stop.CancelAsync();
        await Task.WhenAll(writers);
        return new WriteResult(acknowledged.ToDictionary(p => p.Key, p => p.Value.ToList(), StringComparer.Ordinal), failed, afterKill, recovery);
    }

    private static async Task<double> SecondsUntilEveryGrainAnswersAsync(IClusterClient grains, Stopwatch clock)
    {
        while (clock.Elapsed < TimeSpan.FromSeconds(45))
        {
            var sweep = await Task.WhenAll(Enumerable.Range(0, Conversations).Select(async i =>
            {
                try
                {
                    await grains.GetGrain<IConversationGrain>(Key(i)).GetMessageCountAsync().WaitAsync(TimeSpan.FromMilliseconds(500));
                    return true;
                }
                catch (Exception ex) when (ex is not OutOfMemoryException)
                {
                    return false;
                }
            }));
            if (sweep.All(ok => ok))
            {
                return clock.Elapsed.TotalSeconds;
            }

            await Task.Delay(100);
        }

        return clock.Elapsed.TotalSeconds;
    }

    private static string Key(int i) => $"failover-{i:D3}";

    private sealed record WriteResult(IReadOnlyDictionary<string, List<string>> Acknowledged, long Failed, long AcknowledgedAfterKill, double RecoverySeconds);
}

/// <summary>Redis membership (Microsoft.Orleans.Clustering.Redis) and Redis grain storage.</summary>
[RequiresServer(TestServers.Redis)]
public sealed class RedisFailoverTests(ITestOutputHelper output) : FailoverScenarios(output)
{
    private static string Redis => TestServers.Require(TestServers.Redis);

    protected override IReadOnlyDictionary<string, string> BackendSettings(string serviceId) => new Dictionary<string, string>
    {
        ["OrleansMemory:Clustering:Kind"] = "redis",
        ["OrleansMemory:Clustering:ConnectionString"] = Redis,
        ["OrleansMemory:Storage:Type"] = "redis",
        ["OrleansMemory:Storage:ConnectionString"] = Redis,
    };

    protected override void ConfigureClient(IClientBuilder client) =>
        client.UseRedisClustering(o => o.ConfigurationOptions = StackExchange.Redis.ConfigurationOptions.Parse(Redis));
}

/// <summary>PostgreSQL membership (Microsoft.Orleans.Clustering.AdoNet) and PostgreSQL grain storage, schema created by the silos.</summary>
[RequiresServer(TestServers.Postgres)]
public sealed class PostgresFailoverTests(ITestOutputHelper output) : FailoverScenarios(output)
{
    private static string Postgres => TestServers.Require(TestServers.Postgres);

    protected override IReadOnlyDictionary<string, string> BackendSettings(string serviceId) => new Dictionary<string, string>
    {
        ["OrleansMemory:Clustering:Kind"] = "postgres",
        ["OrleansMemory:Clustering:ConnectionString"] = Postgres,
        ["OrleansMemory:Clustering:CreateSchema"] = "true",
        ["OrleansMemory:Storage:Type"] = "postgres",
        ["OrleansMemory:Storage:ConnectionString"] = Postgres,
        ["OrleansMemory:Storage:CreateSchema"] = "true",
    };

    protected override void ConfigureClient(IClientBuilder client) => client.UseAdoNetClustering(o =>
    {
        o.Invariant = "Npgsql";
        o.ConnectionString = Postgres;
    });
}
