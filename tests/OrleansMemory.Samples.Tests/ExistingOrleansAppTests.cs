namespace OrleansMemory.Samples.Tests;

/// <summary>samples/ExistingOrleansApp: an Orleans silo of someone else's, with a grain of its own, hosting the memory
/// grains through <c>AddMemoryGrains()</c>. Built with this project and run as a process.</summary>
[Collection(SampleCollection.Name)]
public sealed class ExistingOrleansAppTests
{
    [Fact]
    public async Task Runs_its_own_grain_and_the_memory_grains_in_one_silo_and_exits_0()
    {
        var dll = SampleProcess.AssemblyPath("ExistingOrleansApp");
        Assert.True(File.Exists(dll), $"The sample was not built: {dll}");

        var ports = LoopbackPorts.Free(2);
        var (exitCode, output) = await SampleProcess.RunAsync(dll, [$"--SiloPort={ports[0]}", $"--GatewayPort={ports[1]}"], TimeSpan.FromMinutes(2));

        Assert.True(exitCode == 0, $"Exit code {exitCode}. Output:\n{output}");
        Assert.Contains("greeter: Hello, Alice! (greeting #1 from front-desk)", output);
        Assert.Contains("greeter: Hello, Bob! (greeting #2 from front-desk)", output);
        Assert.Contains("memory: Added 'Alice prefers green tea'", output);
        Assert.Contains("memory: Added 'Alice lives in Lisbon'", output);
        var hits = output.Split('\n').Where(l => l.StartsWith("search: ", StringComparison.Ordinal)).ToArray();
        Assert.Equal(2, hits.Length);
        Assert.StartsWith("search: 'Alice prefers green tea' score 0.99", hits[0]);
        Assert.StartsWith("search: 'Alice lives in Lisbon'", hits[1]);
        Assert.Contains("MemoryCount = 2", output);
        Assert.EndsWith("done", output.TrimEnd());
    }
}
