extern alias omem;

using omem::OrleansMemory.Cli;
using Spectre.Console;
using Xunit.Abstractions;

namespace OrleansMemory.Silo.Tests;

/// <summary>What a new user does: run a silo on file storage, move its data with <c>omem migrate</c> into SQLite or
/// PostgreSQL, start a silo on that database with the documented defaults, and find everything there.</summary>
public sealed class OmemThroughSiloTests(ITestOutputHelper output) : IDisposable
{
    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("omem-through-silo-");

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _directory.Delete(recursive: true);
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task Data_migrated_by_omem_is_served_by_a_silo_on_the_target(string target)
    {
        string[] targetSettings;
        string targetUri;
        if (target == "sqlite")
        {
            // Nothing but the type and the file: the silo's and omem's defaults must agree (service id, schema).
            var db = Path.Combine(_directory.FullName, "connectome.db");
            targetSettings = ["--OrleansMemory:Storage:Type=sqlite", $"--OrleansMemory:Storage:DbPath={db}"];
            targetUri = "sqlite:" + db;
        }
        else
        {
            if (Environment.GetEnvironmentVariable("ORLEANSMEMORY_TEST_POSTGRES") is not { Length: > 0 } postgres)
            {
                Assert.True(Environment.GetEnvironmentVariable("CI") is null, "ORLEANSMEMORY_TEST_POSTGRES is not set (scripts/test-servers.sh)");
                output.WriteLine("Not run: ORLEANSMEMORY_TEST_POSTGRES is not set.");
                return;
            }

            // A service id of its own keeps this run apart from others in the shared test database.
            var service = "omem" + Guid.NewGuid().ToString("N")[..10];
            targetSettings = ["--OrleansMemory:Storage:Type=postgres", $"--OrleansMemory:Storage:ConnectionString={postgres}", $"--OrleansMemory:ServiceId={service}"];
            targetUri = $"postgres:{postgres}?service={service}";
            Assert.Equal(0, (await OmemAsync("db", "init", "--storage", targetUri)).ExitCode);
        }

        var marker = Guid.NewGuid().ToString("N");
        var files = Path.Combine(_directory.FullName, "storage_data");
        await using (var source = await SocketSilo.StartAsync("--OrleansMemory:Storage:Type=file", $"--OrleansMemory:Storage:BaseDirectory={files}"))
        {
            var http = source.Client;
            await http.PostAsync("/v1/users/ada/memories", Http.Body($$"""{"text":"Ada lives in Leeds {{marker}}","embedding":[0.2,0.9,0.1]}""")).Expect(201);
            await http.PostAsync("/v1/conversations/c1/messages", Http.Body($$"""{"messages":[{"id":"m1","role":"user","content":"hello {{marker}}"}]}""")).Expect(201);
            await http.PutAsync("/v1/system/state/mode", Http.Body($$"""{"marker":"{{marker}}"}""")).Expect(204);
        }

        var migrate = await OmemAsync("migrate", "--from", "file:" + files, "--to", targetUri);
        output.WriteLine(migrate.Output);
        Assert.Equal(0, migrate.ExitCode);

        await using var served = await SocketSilo.StartAsync(targetSettings);
        var client = served.Client;
        var hits = await client.PostAsync("/v1/users/ada/memories/search", Http.Body("""{"embedding":[0.2,0.9,0.1],"top_k":1}""")).Expect(200);
        Assert.Equal($"Ada lives in Leeds {marker}", hits[0].GetProperty("memory").GetProperty("text").GetString());
        var messages = await client.GetAsync("/v1/conversations/c1/messages").Expect(200);
        Assert.Equal($"hello {marker}", messages.GetProperty("messages")[0].GetProperty("content").GetString());
        Assert.Contains("c1", (await client.GetAsync("/v1/conversations").Expect(200)).ToString(), StringComparison.Ordinal);
        Assert.Equal(marker, (await client.GetAsync("/v1/system/state/mode").Expect(200)).GetProperty("marker").GetString());
    }

    private static async Task<(int ExitCode, string Output, string Errors)> OmemAsync(params string[] args)
    {
        var writer = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
            Out = new AnsiConsoleOutput(writer),
        });
        console.Profile.Width = 200;
        var errors = new StringWriter();
        var exitCode = await OmemCli.RunAsync(args, console, errors, CancellationToken.None);
        return (exitCode, writer.ToString() + errors, errors.ToString());
    }
}
