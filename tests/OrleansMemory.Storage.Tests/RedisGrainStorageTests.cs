using Microsoft.Extensions.Diagnostics.HealthChecks;
using OrleansMemory.Configuration;
using OrleansMemory.Redis;

namespace OrleansMemory.Storage.Tests;

[RequiresServer(TestServers.Redis)]
public sealed class RedisGrainStorageTests : GrainStorageConformanceTests
{
    private readonly string _prefix = $"omem-test:{TestServers.RunId}:{Guid.NewGuid():N}:";

    protected override Task<IGrainStorage> OpenAsync() => Task.FromResult<IGrainStorage>(Open());

    private RedisGrainStorage Open(Action<RedisGrainStorageOptions>? configure = null)
    {
        var options = new RedisGrainStorageOptions { ConfigurationString = TestServers.Require(TestServers.Redis), KeyPrefix = _prefix };
        configure?.Invoke(options);
        return new RedisGrainStorage("redis", options);
    }

    [StorageFact]
    public async Task Expired_states_disappear_from_reads_and_listings_and_the_health_check_round_trips()
    {
        await using var storage = Open(o => o.StateTimeToLive["cache"] = TimeSpan.FromMilliseconds(1));
        await WriteAsync(storage, Id("k", "cache"), "short lived", stateName: "cache");
        await WriteAsync(storage, Id("kept", "cache"), "kept", stateName: "entry");
        SpinWait.SpinUntil(() => false, 50);

        Assert.False((await ReadAsync(storage, Id("k", "cache"), "cache")).RecordExists);
        Assert.Equal([Id("kept", "cache")], (await storage.ListGrainIdsAsync("cache", null, 10)).Ids);
        Assert.Equal(1, (await storage.GetStatisticsAsync()).RecordCount);
        var health = await new GrainStorageHealthCheck(storage.Name, storage).CheckHealthAsync(new HealthCheckContext());
        Assert.Equal(HealthStatus.Healthy, health.Status);
    }

    [StorageFact]
    public void Invalid_options_are_all_reported()
    {
        var error = Assert.Throws<ArgumentException>(() => new RedisGrainStorage("redis", new RedisGrainStorageOptions
        {
            ConfigurationString = " ",
            KeyPrefix = null!,
            StateTimeToLive = { ["x"] = TimeSpan.Zero },
        }));
        Assert.Contains("ConfigurationString", error.Message);
        Assert.Contains("KeyPrefix", error.Message);
        Assert.Contains("StateTimeToLive['x']", error.Message);
    }
}
