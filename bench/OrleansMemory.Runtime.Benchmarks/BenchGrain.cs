namespace OrleansMemory.Benchmarks;

public interface IBenchGrain : IGrainWithIntegerKey
{
    Task<int> AddAsync(int value);
}

/// <summary>The grain under test: a counter, so the work per call is as small as the baseline's.</summary>
public sealed class BenchGrain : Grain, IBenchGrain
{
    private int _sum;

    public Task<int> AddAsync(int value) => Task.FromResult(_sum += value);
}

/// <summary>The baseline: the same counter guarded by a <see cref="SemaphoreSlim"/>, called directly.</summary>
public sealed class GuardedCounter
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private int _sum;

    public async Task<int> AddAsync(int value)
    {
        await _gate.WaitAsync();
        try
        {
            return _sum += value;
        }
        finally
        {
            _gate.Release();
        }
    }
}
