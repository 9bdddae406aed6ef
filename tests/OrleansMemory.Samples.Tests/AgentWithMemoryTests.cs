using OrleansMemory.Silo.Hosting;

namespace OrleansMemory.Samples.Tests;

/// <summary>samples/AgentWithMemory: an agent host (Microsoft Agent Framework, the scripted stand-in model) as an Orleans
/// client of a real silo (the silo's own pipeline, in this test process, local embedding model). Two runs of the sample
/// are two OS processes: the second restores the session the first saved and recalls the fact the first remembered.</summary>
[Collection(SampleCollection.Name)]
public sealed class AgentWithMemoryTests
{
    [Fact]
    public async Task A_fact_remembered_by_one_process_is_recalled_by_the_next()
    {
        var dll = SampleProcess.AssemblyPath("AgentWithMemory");
        Assert.True(File.Exists(dll), $"The sample was not built: {dll}");
        var storage = Directory.CreateTempSubdirectory("omem-agent-sample-");
        var ports = LoopbackPorts.Free(2);
        var gateway = ports[1];
        var silo = SiloApplication.Create([
            "--OrleansMemory:Http:Port=0", $"--OrleansMemory:SiloPort={ports[0]}", $"--OrleansMemory:GatewayPort={gateway}",
            "--OrleansMemory:Storage:Type=memory", $"--OrleansMemory:Storage:BaseDirectory={storage.FullName}",
            "--Logging:LogLevel:Default=Warning", "--OrleansMemory:ShutdownTimeout=00:00:05",
        ]);
        await silo.StartAsync();
        try
        {
            var session = Path.Combine(storage.FullName, "alice.json");
            string[] common = [$"--Gateway={gateway}", $"--Session={session}", "--User=alice"];
            var (firstExit, first) = await SampleProcess.RunAsync(dll, [.. common, "--Prompt:0=Remember: I am allergic to peanuts"], TimeSpan.FromMinutes(2));
            Assert.True(firstExit == 0, $"Exit code {firstExit}. Output:\n{first}");
            Assert.Contains("session: new", first);
            Assert.Contains("agent: Noted, I will remember that.", first);
            Assert.True(File.Exists(session), "the session was saved");

            var (secondExit, second) = await SampleProcess.RunAsync(dll, [.. common, "--Prompt:0=What should I avoid eating?"], TimeSpan.FromMinutes(2));
            Assert.True(secondExit == 0, $"Exit code {secondExit}. Output:\n{second}");
            Assert.Contains($"session: restored from {session}", second);
            Assert.Contains("agent: From what I remember: I am allergic to peanuts", second);
            Assert.EndsWith("done", second.TrimEnd());

            var (otherExit, other) = await SampleProcess.RunAsync(dll,
                [$"--Gateway={gateway}", "--User=bob", "--Prompt:0=What should I avoid eating?"], TimeSpan.FromMinutes(2));
            Assert.True(otherExit == 0, $"Exit code {otherExit}. Output:\n{other}");
            Assert.Contains("agent: I don't know yet.", other);
        }
        finally
        {
            await silo.StopAsync();
            await silo.DisposeAsync();
            storage.Delete(recursive: true);
        }
    }
}

/// <summary>The sample tests run one at a time: each starts processes and silos, and a loaded machine slows their shutdown
/// (its warnings then land in the output the tests read).</summary>
[CollectionDefinition(Name)]
public sealed class SampleCollection
{
    public const string Name = "samples";
}
