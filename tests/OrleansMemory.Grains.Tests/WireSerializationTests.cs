using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Orleans.Serialization.Configuration;
using OrleansMemory.Abstractions;

namespace OrleansMemory.Grains.Tests;

/// <summary>Every call here goes from the cluster client to a silo over the test cluster's transport, so each argument,
/// result and exception is serialized by Orleans: what arrives must be what was sent.</summary>
public sealed class WireSerializationTests(MemoryClusterFixture fixture) : IClassFixture<MemoryClusterFixture>
{
    private const int Dim = 384;

    private IGrainFactory Grains => fixture.Cluster.Factory;

    private static string Key(string prefix) => $"{prefix}-{Guid.NewGuid():N}";

    private static JsonElement Json(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }

    [Fact]
    public void Every_silo_checks_the_serializable_surface_of_the_grain_interfaces_at_startup()
    {
        Assert.Equal(MemoryCluster.SiloCount, fixture.Cluster.Cluster.Silos.Count);
        Assert.All(fixture.Cluster.Cluster.Silos, silo =>
        {
            var services = silo.ServiceProvider;
            Assert.True(services.GetRequiredService<IHostEnvironment>().IsDevelopment());
            Assert.NotEqual(false, services.GetRequiredService<IOptions<TypeManifestOptions>>().Value.EnableConfigurationAnalysis);
        });
    }

    public static TheoryData<string> Documents() =>
    [
        """{"memories":[{"id":"m1","text":"naïve café – 東京 😀","score":0.1234567890123456789}],"big":123456789012345678901234567890}""",
        """{"nested":{"a":[1,[2,[3,{"b":null}]]],"t":true,"f":false,"empty":{},"none":[]},"escaped":"line\nbreak \"quoted\" \\ \u0001"}""",
        """[1e-7,-0.0,1.7976931348623157E+308,"",null]""",
        "\"just a string\"",
        "42",
        "null",
    ];

    [Fact]
    public async Task A_group_of_adds_comes_back_with_each_result_and_each_error_as_sent()
    {
        var key = Key("wire-adds");
        var vector = new float[Dim];
        vector[3] = 1;
        var metadata = new Dictionary<string, JsonElement> { ["source"] = Json("""{"app":"notes","tags":["a","b"]}""") };
        var attempts = await Grains.GetGrain<IUserAddsGrain>(key).AddMemoriesAsync([
            new AddMemoryCall("naïve café – 東京", vector, MemoryTypes.Preference, 0.7, metadata, "wire-key"),
            new AddMemoryCall(" ", vector, MemoryTypes.Fact, 0.5, null, null),
        ]);

        var added = attempts[0].Result!;
        Assert.Null(attempts[0].Error);
        Assert.Equal(("naïve café – 東京", MemoryTypes.Preference, 0.7), (added.Memory.Text, added.Memory.Type, added.Memory.Importance));
        AssertSameJson(metadata["source"], added.Memory.Metadata!["source"]);
        var error = Assert.IsType<MemoryValidationException>(attempts[1].Error);
        Assert.Null(attempts[1].Result);
        Assert.Equal("text", error.ParamName);
        Assert.Contains("text", error.Message, StringComparison.Ordinal);
        Assert.Equal(added.Memory.Id, (await Grains.GetGrain<IUserGrain>(key).GetMemoryAsync(added.Memory.Id))!.Id);
    }

    [Theory]
    [MemberData(nameof(Documents))]
    public async Task Json_documents_arrive_as_sent(string json)
    {
        var sent = Json(json);
        var conversation = Grains.GetGrain<IConversationGrain>(Key("wire-doc"));
        await conversation.StoreDocumentAsync(sent);
        var loaded = await conversation.LoadDocumentAsync();
        Assert.True(JsonElement.DeepEquals(sent, loaded!.Value), loaded.Value.GetRawText());

        var cache = Grains.GetGrain<ICacheGrain>(Key("wire-cache"));
        await cache.SetAsync(sent);
        Assert.True(JsonElement.DeepEquals(sent, (await cache.GetAsync()).Value!.Value));

        var state = Grains.GetGrain<ISystemStateGrain>(Key("wire-state"));
        await state.SetAsync(sent);
        Assert.True(JsonElement.DeepEquals(sent, (await state.GetAsync())!.Value));
    }

    [Fact]
    public async Task Metadata_dictionaries_and_nested_records_arrive_as_sent()
    {
        var metadata = Metadata.From(("text", "ünïcode"), ("int", 42), ("real", 0.5), ("flag", true), ("none", null),
            ("list", new[] { 1, 2, 3 }), ("object", new { a = new { b = "c" } }));
        var t0 = new DateTimeOffset(2026, 3, 1, 10, 0, 0, TimeSpan.FromHours(2));
        var conversation = Grains.GetGrain<IConversationGrain>(Key("wire-conv"));
        await conversation.AppendMessagesAsync([new RawMessage("m1", MessageRoles.Tool, "result", t0, "calc", "call-1", metadata)]);
        var message = Assert.Single((await conversation.GetMessagesAsync()).Messages);
        Assert.Equal(("m1", MessageRoles.Tool, "result", t0, "calc", "call-1"),
            (message.Id, message.Role, message.Content, message.Timestamp, message.Name, message.ToolCallId));
        Assert.Equal(t0.Offset, message.Timestamp.Offset);
        AssertSameMetadata(metadata, message.Metadata);

        await conversation.StoreChunksAsync([new ConversationChunk("k1", 1, 1, Json("""{"summary":"s"}"""), metadata)]);
        var chunk = Assert.Single(await conversation.LoadChunksAsync());
        Assert.Equal("s", chunk.Content!.Value.GetProperty("summary").GetString());
        AssertSameMetadata(metadata, chunk.Metadata);

        var steps = new[]
        {
            new ReasoningStep(ReasoningStepKind.Thought, "think", t0),
            new ReasoningStep(ReasoningStepKind.ToolCall, "", t0.AddSeconds(1), "search", Json("""{"q":["a","b"],"n":3}"""), InputTokens: 7),
            new ReasoningStep(ReasoningStepKind.ToolResult, "", t0.AddSeconds(2), "search", Result: Json("""[{"hit":1.5}]"""), OutputTokens: 9),
        };
        var agent = Grains.GetGrain<IAgentGrain>(Key("wire-agent"));
        await agent.AppendChainAsync(new ReasoningChain("chain-1", steps, "conv-1", "goal"));
        var chain = Assert.Single((await agent.GetChainsAsync()).Chains);
        Assert.Equal(("chain-1", "conv-1", "goal", 3), (chain.ChainId, chain.ConversationId, chain.Goal, chain.Steps.Count));
        foreach (var (expected, actual) in steps.Zip(chain.Steps))
        {
            Assert.Equal((expected.Kind, expected.Content, expected.Timestamp, expected.ToolName, expected.InputTokens, expected.OutputTokens),
                (actual.Kind, actual.Content, actual.Timestamp, actual.ToolName, actual.InputTokens, actual.OutputTokens));
            AssertSameJson(expected.Arguments, actual.Arguments);
            AssertSameJson(expected.Result, actual.Result);
        }
    }

    [Fact]
    public async Task Float_embeddings_arrive_exactly()
    {
        var random = new Random(7);
        var vector = Vectors.Random(Dim, random);
        var user = Grains.GetGrain<IUserGrain>(Key("wire-user"));
        var added = await user.AddMemoryAsync("a memory", vector, metadata: Metadata.From(("k", "v")));
        AssertSameMetadata(Metadata.From(("k", "v")), added.Memory.Metadata);

        var stored = await user.GetEmbeddingAsync(added.Memory.Id);
        var norm = Math.Sqrt(vector.Sum(x => (double)x * x));
        Assert.Equal(Dim, stored!.Length);
        Assert.All(vector.Zip(stored), p => Assert.Equal(p.First / norm, p.Second, 6));
        Assert.Equal(1.0, (await user.SearchAsync(vector, topK: 1)).Single().Score, 5);
        Assert.Equal(added.Memory.Id, (await user.SearchAsync(stored, topK: 1)).Single().Memory.Id);
    }

    [Fact]
    public async Task Validation_exceptions_arrive_with_their_type_parameter_name_and_message()
    {
        var conversation = Grains.GetGrain<IConversationGrain>(Key("wire-errors"));
        var tooBig = JsonSerializer.SerializeToElement(new { blob = new string('x', 70 * 1024) });
        var error = await Assert.ThrowsAsync<MemoryValidationException>(() => conversation.StoreDocumentAsync(tooBig));
        Assert.Equal(("document", $"The conversation document is {tooBig.GetRawText().Length} bytes; the limit is {64 * 1024}."),
            (error.ParamName, error.Message));

        var undefined = await Assert.ThrowsAsync<MemoryValidationException>(() => conversation.StoreDocumentAsync(default));
        Assert.Equal(("document", "document must be a JSON value."), (undefined.ParamName, undefined.Message));

        var range = await Assert.ThrowsAsync<MemoryValidationException>(() => conversation.GetMessagesAsync(0, 0));
        Assert.Equal(("limit", "limit must be within 1..10000 (is 0)."), (range.ParamName, range.Message));
        ArgumentException asArgument = range;
        Assert.Equal("limit", asArgument.ParamName);
    }

    [Fact]
    public async Task Not_found_exceptions_arrive_with_their_type_and_message()
    {
        var user = Grains.GetGrain<IUserGrain>(Key("wire-missing"));
        var memory = await Assert.ThrowsAsync<MemoryNotFoundException>(() => user.UpdateMemoryAsync("nope", new MemoryUpdate(Importance: 0.1)));
        Assert.Equal("Memory 'nope' does not exist for this user.", memory.Message);
        var conflict = await Assert.ThrowsAsync<MemoryNotFoundException>(() =>
            user.ResolveConflictAsync("gone", new ConflictResolution(ConflictResolutionKind.KeepA)));
        Assert.Equal("Conflict 'gone' does not exist for this user.", conflict.Message);
        Assert.IsAssignableFrom<KeyNotFoundException>(conflict);
    }

    private static void AssertSameJson(JsonElement? expected, JsonElement? actual)
    {
        Assert.Equal(expected.HasValue, actual.HasValue);
        if (expected is { } e)
        {
            Assert.True(JsonElement.DeepEquals(e, actual!.Value), $"{e.GetRawText()} arrived as {actual!.Value.GetRawText()}");
        }
    }

    private static void AssertSameMetadata(IReadOnlyDictionary<string, JsonElement> expected, IReadOnlyDictionary<string, JsonElement>? actual)
    {
        Assert.NotNull(actual);
        Assert.Equal(expected.Keys.Order(), actual.Keys.Order());
        Assert.All(expected, p => AssertSameJson(p.Value, actual[p.Key]));
    }
}
