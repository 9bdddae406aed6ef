namespace OrleansMemory.Cluster.Benchmarks;

public interface IEchoGrain : IGrainWithIntegerKey
{
    Task<int> EchoAsync(int value);
}

[GrainType("benchecho")]
public sealed class EchoGrain : Grain, IEchoGrain
{
    public Task<int> EchoAsync(int value) => Task.FromResult(value);
}
