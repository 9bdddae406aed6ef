using System.Data.Common;
using System.Text;
using StackExchange.Redis;
using Xunit.Abstractions;

namespace OrleansMemory.Silo.Tests;

/// <summary>Erasure erases on every provider: after deleting a memory, a user, a conversation, an agent, a cache entry
/// and a system state through the API, a scan of the whole storage (files, every row of Orleans' ADO.NET table for the
/// service, every Redis key of the service) finds the marker nowhere. Every decorator combination the silo configures
/// is covered: each provider behind the metrics decorator, and file storage with backups behind the per-grain-type
/// router (users on a provider of their own, redis and sqlite routed beside file).</summary>
public sealed class ErasureScanTests(ITestOutputHelper output) : IDisposable
{
    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("omem-erasure-");
    private readonly string _service = "erase" + Guid.NewGuid().ToString("N")[..10];

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _directory.Delete(recursive: true);
    }

    [Theory]
    [InlineData("file")]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    [InlineData("redis")]
    [InlineData("file-routed")]
    [InlineData("sqlite-routed")]
    [InlineData("redis-routed")]
    public async Task Deleted_content_is_nowhere_in_the_storage(string provider)
    {
        if (Settings(provider) is not { } settings)
        {
            return;
        }

        var marker = "mk" + Guid.NewGuid().ToString("N");
        var formed = "fm" + Guid.NewGuid().ToString("N");
        await using (var silo = await SocketSilo.StartAsync([$"--OrleansMemory:ServiceId={_service}", .. settings]))
        {
            await FormAsync(silo.Client, formed);
            await WriteAndDeleteAsync(silo.Client, marker);
        }

        var holding = await ScanAsync(provider, marker);
        Assert.True(holding.Count == 0, $"{provider}: deleted content is still in: {string.Join(", ", holding)}");

        // The conversation stays (it is not the user's), so its raw message keeps the words; the memory formed from it
        // ends with a period the message lacks: neither the user's memory nor the conversation's record of it is left.
        holding = await ScanAsync(provider, formed + ".");
        Assert.True(holding.Count == 0, $"{provider}: formed memory content is still in: {string.Join(", ", holding)}");
        Assert.NotEmpty(await ScanAsync(provider, formed)); // the scan sees the raw message that stays
    }

    /// <summary>A conversation forms a memory of a user, who is then erased: the conversation's record of it goes too.</summary>
    private static async Task FormAsync(HttpClient http, string formed)
    {
        await http.PutAsync("/v1/conversations/forming/formation", Http.Body("""{"user_id":"formed-for"}""")).Expect(200);
        await http.PostAsync("/v1/conversations/forming/messages",
            Http.Body($$"""{"messages":[{"role":"user","content":"I'm allergic to {{formed}}"}]}""")).Expect(201);
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while ((await http.GetAsync("/v1/conversations/forming/formation").Expect(200)).GetProperty("memories_formed").GetInt32() < 1)
        {
            Assert.True(DateTime.UtcNow < deadline, "the conversation formed no memory");
            await Task.Delay(50);
        }

        await http.DeleteAsync("/v1/users/formed-for").Expect(204);
        Assert.Equal(0, (await http.GetAsync("/v1/conversations/forming/memory-records").Expect(200)).GetArrayLength());
    }

    private static async Task WriteAndDeleteAsync(HttpClient http, string marker)
    {
        // A memory of a user who stays: updated (the page is rewritten, the earlier version has the text), in a conflict
        // (hints and explanations quote it), with a reason naming it; then deleted.
        await http.PostAsync("/v1/users/keeper/memories", Http.Body("""{"text":"I live in Paris","embedding":[1,0,0]}""")).Expect(201);
        var secret = await http.PostAsync("/v1/users/keeper/memories", Http.Body($$$"""{"text":"I live in Rome {{{marker}}}","embedding":[0.9,0.3,0],"metadata":{"m":"{{{marker}}}"}}"""));
        var secretId = (await secret.Json()).GetProperty("memory").GetProperty("id").GetString();
        await http.PatchAsync($"/v1/users/keeper/memories/{secretId}", Http.Body($$"""{"importance":0.9,"reason":"said {{marker}}"}""")).Expect(200);
        await http.DeleteAsync($"/v1/users/keeper/memories/{secretId}").Expect(204);

        // A whole user.
        await http.PostAsync("/v1/users/gone/memories", Http.Body($$"""{"text":"secret {{marker}}","embedding":[0,1,0]}""")).Expect(201);
        await http.PostAsync("/v1/users/gone/short-term", Http.Body($$"""{"messages":[{"role":"user","content":"short {{marker}}"}]}""")).Expect(204);
        await http.DeleteAsync("/v1/users/gone").Expect(204);

        // A conversation, an agent, a cache entry, a system state: each written twice (earlier versions), then deleted.
        for (var i = 0; i < 2; i++)
        {
            await http.PutAsync("/v1/conversations/talk/document", Http.Body($$"""{"v":"{{marker}}-{{i}}"}""")).Expect(204);
            await http.PostAsync("/v1/conversations/talk/messages", Http.Body($$"""{"messages":[{"role":"user","content":"{{marker}} {{i}}"}]}""")).Expect(201);
            await http.PostAsync("/v1/agents/bot/reasoning-chains", Http.Body($$"""{"steps":[{"kind":"thought","content":"{{marker}} {{i}}"}],"goal":"{{marker}}"}""")).Expect(201);
            await http.PutAsync("/v1/cache/entry", Http.Body($$"""{"value":"{{marker}}-{{i}}"}""")).Expect(204);
            await http.PutAsync("/v1/system/state/mode", Http.Body($$"""{"v":"{{marker}}-{{i}}"}""")).Expect(204);
        }

        await http.DeleteAsync("/v1/conversations/talk").Expect(204);
        await http.DeleteAsync("/v1/agents/bot").Expect(204);
        await http.DeleteAsync("/v1/cache/entry").Expect(204);
        await http.DeleteAsync("/v1/system/state/mode").Expect(204);
    }

    private string[]? Settings(string provider)
    {
        switch (provider)
        {
            case "file":
                return ["--OrleansMemory:Storage:Type=file", $"--OrleansMemory:Storage:BaseDirectory={_directory.FullName}"];
            case "sqlite":
                return ["--OrleansMemory:Storage:Type=sqlite", $"--OrleansMemory:Storage:DbPath={Path.Combine(_directory.FullName, "erase.db")}",
                    $"--OrleansMemory:Storage:BaseDirectory={_directory.FullName}"];
            case "postgres" when Server("ORLEANSMEMORY_TEST_POSTGRES") is { } postgres:
                return ["--OrleansMemory:Storage:Type=postgres", $"--OrleansMemory:Storage:ConnectionString={postgres}",
                    "--OrleansMemory:Storage:CreateSchema=true", $"--OrleansMemory:Storage:BaseDirectory={_directory.FullName}"];
            case "redis" when Server("ORLEANSMEMORY_TEST_REDIS") is { } redis:
                return ["--OrleansMemory:Storage:Type=redis", $"--OrleansMemory:Storage:ConnectionString={redis}",
                    $"--OrleansMemory:Storage:BaseDirectory={_directory.FullName}"];
            case "file-routed":
                return [.. Settings("file")!, .. Routed("file", $"--OrleansMemory:Storage:Providers:users:BaseDirectory={Path.Combine(_directory.FullName, "users")}")];
            case "sqlite-routed":
                return [.. Settings("file")!, .. Routed("sqlite", $"--OrleansMemory:Storage:Providers:users:DbPath={Path.Combine(_directory.FullName, "erase.db")}")];
            case "redis-routed" when Server("ORLEANSMEMORY_TEST_REDIS") is { } redis:
                return [.. Settings("file")!, .. Routed("redis", $"--OrleansMemory:Storage:Providers:users:ConnectionString={redis}")];
            default:
                return null;
        }
    }

    /// <summary>Users (memories, conflicts, history) on a provider of their own, the rest on the default.</summary>
    private static string[] Routed(string type, string setting) =>
        [$"--OrleansMemory:Storage:Providers:users:Type={type}", setting, "--OrleansMemory:Storage:GrainTypes:user=users"];

    private string? Server(string variable)
    {
        if (Environment.GetEnvironmentVariable(variable) is { Length: > 0 } value)
        {
            return value;
        }

        Assert.True(Environment.GetEnvironmentVariable("CI") is null, $"{variable} is not set (scripts/test-servers.sh)");
        output.WriteLine($"Not run: {variable} is not set.");
        return null;
    }

    private async Task<List<string>> ScanAsync(string provider, string marker)
    {
        var holding = new List<string>();
        foreach (var file in Directory.EnumerateFiles(_directory.FullName, "*", SearchOption.AllDirectories))
        {
            if ((await File.ReadAllTextAsync(file)).Contains(marker, StringComparison.Ordinal))
            {
                holding.Add(file);
            }
        }

        switch (provider.Replace("-routed", "", StringComparison.Ordinal))
        {
            case "sqlite":
                await using (var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={Path.Combine(_directory.FullName, "erase.db")}"))
                {
                    await connection.OpenAsync();
                    holding.AddRange(await RowsHoldingAsync(connection, "SELECT * FROM OrleansStorage", marker));
                }

                break;
            case "postgres":
                await using (var connection = new Npgsql.NpgsqlConnection(Environment.GetEnvironmentVariable("ORLEANSMEMORY_TEST_POSTGRES")))
                {
                    await connection.OpenAsync();
                    holding.AddRange(await RowsHoldingAsync(connection, $"SELECT * FROM orleansstorage WHERE serviceid = '{_service}'", marker));
                }

                break;
            case "redis":
                await using (var redis = await ConnectionMultiplexer.ConnectAsync(Environment.GetEnvironmentVariable("ORLEANSMEMORY_TEST_REDIS")!))
                {
                    var server = redis.GetServer(redis.GetEndPoints()[0]);
                    var db = redis.GetDatabase();
                    var keys = new List<RedisKey>();
                    await foreach (var key in server.KeysAsync(pattern: $"*{_service}*"))
                    {
                        keys.Add(key);
                    }

                    Assert.NotEmpty(keys); // the scan sees the service's keys (the kept user's records)
                    foreach (var key in keys)
                    {
                        var text = await db.KeyTypeAsync(key) switch
                        {
                            RedisType.String => (string?)await db.StringGetAsync(key) ?? "",
                            RedisType.Hash => string.Join('\n', (await db.HashGetAllAsync(key)).Select(e => $"{e.Name}={e.Value}")),
                            RedisType.Set => string.Join('\n', await db.SetMembersAsync(key)),
                            RedisType.SortedSet => string.Join('\n', await db.SortedSetRangeByRankAsync(key)),
                            RedisType.List => string.Join('\n', await db.ListRangeAsync(key)),
                            _ => "",
                        };
                        if (text.Contains(marker, StringComparison.Ordinal) || ((string)key!).Contains(marker, StringComparison.Ordinal))
                        {
                            holding.Add($"redis key {key}");
                        }
                    }
                }

                break;
            default:
                break;
        }

        return holding;
    }

    private static async Task<List<string>> RowsHoldingAsync(DbConnection connection, string sql, string marker)
    {
        var holding = new List<string>();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await using var reader = await command.ExecuteReaderAsync();
        var rows = 0;
        while (await reader.ReadAsync())
        {
            rows++;
            var row = new StringBuilder();
            for (var i = 0; i < reader.FieldCount; i++)
            {
                row.Append(reader.IsDBNull(i) ? "" : reader.GetValue(i) switch
                {
                    byte[] bytes => Encoding.UTF8.GetString(bytes),
                    var value => Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture),
                }).Append('|');
            }

            if (row.ToString().Contains(marker, StringComparison.Ordinal))
            {
                holding.Add($"row {row.ToString()[..Math.Min(200, row.Length)]}");
            }
        }

        Assert.True(rows > 0, "the scan sees the rows of the kept user");
        return holding;
    }
}
