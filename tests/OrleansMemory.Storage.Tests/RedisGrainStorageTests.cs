using OrleansMemory.Hosting;
using StackExchange.Redis;

namespace OrleansMemory.Storage.Tests;

[RequiresServer(TestServers.Redis)]
public sealed class RedisGrainStorageTests : CatalogConformanceTests
{
    private readonly string _serviceId = $"omem-test-{TestServers.RunId}-{Guid.NewGuid():N}";

    private static string Server => TestServers.RedisConfiguration;

    protected override void Register(ISiloBuilder silo) => silo.AddIndexedRedisGrainStorage(ProviderName, o =>
    {
        o.ConnectionString = Server;
        o.ServiceId = _serviceId;
    });

    protected override async Task CleanupAsync()
    {
        await using var redis = await ConnectionMultiplexer.ConnectAsync(Server);
        var server = redis.GetServers()[0];
        await foreach (var key in server.KeysAsync(pattern: _serviceId + "/*"))
        {
            await redis.GetDatabase().KeyDeleteAsync(key);
        }
    }

    [StorageFact]
    public async Task State_lives_where_Orleans_puts_it()
    {
        var written = await WriteAsync(Storage, Id("default/c1"), "x", stateName: "memories/head");
        await using var redis = await ConnectionMultiplexer.ConnectAsync(Server);
        var hash = await redis.GetDatabase().HashGetAllAsync($"{_serviceId}/state/conversation/default/c1/memories/head");
        Assert.Equal(written.ETag, hash.Single(e => e.Name == "etag").Value.ToString());
        Assert.Contains("\"text\":\"x\"", hash.Single(e => e.Name == "data").Value.ToString());
    }
}

public sealed class MemoryGrainStorageTests : GrainStorageConformanceTests
{
    protected override void Register(ISiloBuilder silo) => silo.UseMemoryStateJson().AddMemoryGrainStorage(ProviderName);

    protected override Task<IGrainStorage> ReopenIfDurableAsync() => Task.FromResult(Storage); // nothing outlives the silo, by design
}
