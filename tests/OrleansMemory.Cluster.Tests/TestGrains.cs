namespace OrleansMemory.Cluster.Tests;

public sealed class CounterState
{
    public int Value { get; set; }

    public List<int> Writes { get; set; } = [];
}

public interface ICounterGrain : IGrainWithStringKey
{
    /// <summary>Adds and persists; returns the new value.</summary>
    Task<int> AddAsync(int amount);

    /// <summary>Appends a write id and persists it before returning (an acknowledged write).</summary>
    Task RecordAsync(int writeId);

    [ReadOnly]
    Task<int> GetAsync();

    [ReadOnly]
    Task<List<int>> GetWritesAsync();

    Task FailAsync(string message);

    Task<int> CallOtherAsync(ICounterGrain other, int amount);

    Task<string> ChainToAsync(string key);

    Task<string> DescribeChainAsync();

    Task<int> WaitAsync(int milliseconds, CancellationToken cancellationToken);
}

[GrainType("clustercounter")]
public sealed class CounterGrain([PersistentState("counter", "store")] IPersistentState<CounterState> state) : Grain, ICounterGrain
{
    public async Task<int> AddAsync(int amount)
    {
        state.State.Value += amount;
        await state.WriteStateAsync();
        return state.State.Value;
    }

    public async Task RecordAsync(int writeId)
    {
        state.State.Writes.Add(writeId);
        try
        {
            await state.WriteStateAsync();
        }
        catch (InconsistentStateException)
        {
            // Another activation wrote in between (during a hand-over): re-read and apply on top, or fail the call.
            await state.ReadStateAsync();
            throw;
        }
    }

    public Task<int> GetAsync() => Task.FromResult(state.State.Value);

    public Task<List<int>> GetWritesAsync() => Task.FromResult(state.State.Writes);

    public Task FailAsync(string message) => throw new ArgumentException(message);

    public Task<int> CallOtherAsync(ICounterGrain other, int amount) => other.AddAsync(amount);

    public Task<string> ChainToAsync(string key) => GrainFactory.GetGrain<ICounterGrain>(key).DescribeChainAsync();

    public Task<string> DescribeChainAsync() => Task.FromResult(Runtime.GrainRequest.CurrentRequest?.Parent?.Describe() ?? "(none)");

    public async Task<int> WaitAsync(int milliseconds, CancellationToken cancellationToken)
    {
        await Task.Delay(milliseconds, cancellationToken);
        return milliseconds;
    }
}
