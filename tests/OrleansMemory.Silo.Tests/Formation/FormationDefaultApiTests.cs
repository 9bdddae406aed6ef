using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.Extensions.Configuration;
using OrleansMemory.Silo.Hosting;

namespace OrleansMemory.Silo.Tests.Formation;

/// <summary>The silo-wide formation default (<c>OrleansMemory:Grains:Formation:Default</c>) over HTTP on a real Kestrel
/// socket: appends that name <c>user_id</c> turn it on for conversations without a setting of their own, GET says whose
/// setting runs, DELETE turns it off for one conversation, and a restart on the same storage keeps all of it. A default
/// the silo cannot run stops it before anything starts, naming the key.</summary>
public sealed class FormationDefaultApiTests
{
    private const string Writer = "key-formation-default-writer-01";
    private const string PinnedToAlice = "key-formation-default-alice-002";

    private static Task<SocketSilo> StartAsync(DirectoryInfo storage) => SocketSilo.StartAsync(
        $"--OrleansMemory:Storage:BaseDirectory={storage.FullName}", "--OrleansMemory:Grains:Formation:Default:Extractor=rules",
        "--OrleansMemory:Grains:Formation:RetryDelay=00:00:00.050", "--OrleansMemory:Auth:Mode=Required",
        $"--OrleansMemory:Auth:ApiKeys:0:Key={Writer}", "--OrleansMemory:Auth:ApiKeys:0:Tenant=t1",
        "--OrleansMemory:Auth:ApiKeys:0:Scopes:0=read", "--OrleansMemory:Auth:ApiKeys:0:Scopes:1=write",
        $"--OrleansMemory:Auth:ApiKeys:1:Key={PinnedToAlice}", "--OrleansMemory:Auth:ApiKeys:1:Tenant=t1",
        "--OrleansMemory:Auth:ApiKeys:1:Scopes:0=write", "--OrleansMemory:Auth:ApiKeys:1:User=alice");

    private static HttpClient Client(SocketSilo silo, string key = Writer)
    {
        var client = new HttpClient { BaseAddress = silo.Address };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return client;
    }

    private static Task<HttpResponseMessage> Append(HttpClient client, string conversation, string text, string? user = null) =>
        client.PostAsync($"/v1/conversations/{conversation}/messages", Http.Body(JsonSerializer.Serialize(user is null
            ? new { messages = new[] { new { role = "user", content = text } } }
            : (object)new { messages = new[] { new { role = "user", content = text } }, user_id = user })));

    private static async Task<List<string>> MemoriesAsync(HttpClient client, string user) =>
        [.. (await client.GetAsync($"/v1/users/{user}/memories").Expect(200)).GetProperty("memories").EnumerateArray().Select(m => m.GetProperty("text").GetString()!)];

    [Fact]
    public async Task Appends_naming_the_user_form_under_the_default_own_settings_win_delete_turns_it_off_and_a_restart_keeps_it()
    {
        var storage = Directory.CreateTempSubdirectory("omem-formation-default-");
        try
        {
            await using (var silo = await StartAsync(storage))
            {
                var client = Client(silo);
                var armed = await client.GetAsync("/v1/conversations/talk/formation").Expect(200);
                Assert.Equal(("default", JsonValueKind.Null, "rules", 0L), (armed.GetProperty("setting").GetString(), armed.GetProperty("user_id").ValueKind,
                    armed.GetProperty("extractor").GetString(), armed.GetProperty("pending").GetInt64()));

                await Append(client, "talk", "I live in Lisbon.").Expect(201); // no user named: nothing forms yet
                Assert.Equal(JsonValueKind.Null, (await client.GetAsync("/v1/conversations/talk/formation").Expect(200)).GetProperty("user_id").ValueKind);
                await Append(client, "talk", "hi! btw I'm allergic to peanuts", "alice").Expect(201);
                var formed = await client.FormationDrainedAsync("talk");
                Assert.Equal(("default", "alice", 2L), (formed.GetProperty("setting").GetString(), formed.GetProperty("user_id").GetString(),
                    formed.GetProperty("formed_through").GetInt64()));
                Assert.Equal(["I live in Lisbon.", "I'm allergic to peanuts."], await MemoriesAsync(client, "alice"));

                var other = await Append(client, "talk", "I'm a pilot.", "bob").ExpectProblem(400);
                Assert.Contains("another user", other, StringComparison.Ordinal);
                var pinned = Client(silo, PinnedToAlice); // a key pinned to alice names no other user
                await Append(pinned, "chat", "I'm a pilot.", "bob").ExpectProblem(403);
                await pinned.PutAsync("/v1/conversations/chat/formation", Http.Body("""{"user_id":"bob"}""")).ExpectProblem(403);
                await pinned.PutAsync("/v1/conversations/chat/formation", Http.Body("""{"user_id":"alice"}""")).Expect(200);
                await Append(client, "talk", "I'm a pilot.", "a/b").ExpectProblem(400);
                await client.PutAsync("/v1/conversations/talk/messages", Http.Body("""{"messages":[],"user_id":"alice"}""")).ExpectProblem(400);
                Assert.Equal(2, (await client.GetAsync("/v1/conversations/talk/messages").Expect(200)).GetProperty("total_count").GetInt64());

                var own = await client.PutAsync("/v1/conversations/own/formation", Http.Body("""{"user_id":"carol"}""")).Expect(200);
                Assert.Equal("own", own.GetProperty("setting").GetString());
                await Append(client, "own", "I'm a baker.", "carol").Expect(201);
                Assert.Equal(("own", 1), ((await client.FormationDrainedAsync("own")).GetProperty("setting").GetString(),
                    (await client.GetAsync("/v1/conversations/own/formation").Expect(200)).GetProperty("memories_formed").GetInt32()));

                await client.DeleteAsync("/v1/conversations/off/formation").Expect(204); // the default applied: now it does not
                await client.GetAsync("/v1/conversations/off/formation").ExpectProblem(404);
                await client.DeleteAsync("/v1/conversations/off/formation").ExpectProblem(404);
                await Append(client, "off", "I'm a chemist.", "dave").Expect(201);
                await client.GetAsync("/v1/conversations/off/formation").ExpectProblem(404);
            }

            await using (var silo = await StartAsync(storage))
            {
                var client = Client(silo);
                var resumed = await client.GetAsync("/v1/conversations/talk/formation").Expect(200);
                Assert.Equal(("default", "alice", 2L), (resumed.GetProperty("setting").GetString(), resumed.GetProperty("user_id").GetString(),
                    resumed.GetProperty("formed_through").GetInt64()));
                await Append(client, "talk", "I'm a drummer.").Expect(201); // the user is known: appends need not name it again
                Assert.Equal(3L, (await client.FormationDrainedAsync("talk")).GetProperty("formed_through").GetInt64());
                Assert.Contains("I'm a drummer.", await MemoriesAsync(client, "alice"));
                Assert.Equal("own", (await client.GetAsync("/v1/conversations/own/formation").Expect(200)).GetProperty("setting").GetString());
                await client.GetAsync("/v1/conversations/off/formation").ExpectProblem(404);
                Assert.Empty(await MemoriesAsync(client, "dave"));
            }
        }
        finally
        {
            storage.Delete(recursive: true);
        }
    }

    [Theory]
    [InlineData("magic", "OrleansMemory:Grains:Formation:Default:Extractor must name a registered extractor: rules, llm (was 'magic').")]
    [InlineData("llm", "OrleansMemory:Grains:Formation:Default:Extractor is 'llm', which needs a chat model; none is configured (OrleansMemory:ConflictClassifier: Provider, Endpoint, Model).")]
    public void A_default_the_silo_cannot_run_stops_it_before_anything_starts(string extractor, string failure)
    {
        var error = Assert.Throws<SiloConfigurationException>(() => SiloApplication.Create(["--OrleansMemory:Http:Port=0", "--OrleansMemory:SiloPort=0",
            "--OrleansMemory:GatewayPort=0", "--OrleansMemory:Storage:Type=memory", $"--OrleansMemory:Grains:Formation:Default:Extractor={extractor}"]));
        Assert.Equal(failure, Assert.Single(error.Failures));
    }

    [Fact]
    public void An_llm_default_runs_with_a_chat_model_configured()
    {
        var options = SiloConfigurationLoader.Load(new ConfigurationBuilder().AddInMemoryCollection(
        [
            new("OrleansMemory:Grains:Formation:Default:Extractor", "llm"), new("OrleansMemory:Grains:Formation:Default:Instructions", "Only health."),
            new("OrleansMemory:ConflictClassifier:Provider", "openai"), new("OrleansMemory:ConflictClassifier:Endpoint", "http://127.0.0.1:11434/v1"),
            new("OrleansMemory:ConflictClassifier:Model", "llama3.2"),
        ]).Build());
        Assert.Equal("openai", options.ConflictClassifier.Provider);
    }
}
