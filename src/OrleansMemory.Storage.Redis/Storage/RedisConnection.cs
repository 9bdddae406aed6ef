using StackExchange.Redis;

namespace OrleansMemory.Storage;

/// <summary>One multiplexer per provider, shared by Orleans' Redis provider and the index and catalog beside it.</summary>
internal sealed class RedisConnection(string configuration) : IAsyncDisposable
{
    private readonly Lazy<Task<IConnectionMultiplexer>> _multiplexer = new(async () =>
        await ConnectionMultiplexer.ConnectAsync(configuration).ConfigureAwait(false));

    public Task<IConnectionMultiplexer> GetAsync() => _multiplexer.Value;

    public async Task<IDatabase> GetDatabaseAsync() => (await GetAsync().ConfigureAwait(false)).GetDatabase();

    public async ValueTask DisposeAsync()
    {
        if (_multiplexer.IsValueCreated && _multiplexer.Value.IsCompletedSuccessfully)
        {
            await _multiplexer.Value.Result.DisposeAsync().ConfigureAwait(false);
        }
    }
}
