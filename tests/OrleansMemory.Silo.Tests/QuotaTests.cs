using System.Diagnostics.Metrics;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.DependencyInjection;
using OrleansMemory.Grains;

namespace OrleansMemory.Silo.Tests;

/// <summary>A silo with small quotas: tenant-a has the defaults, tenant-b its own.</summary>
public sealed class QuotaSiloFactory : SiloFactory
{
    protected override IReadOnlyDictionary<string, string?> Overrides { get; } = new Dictionary<string, string?>
    {
        ["OrleansMemory:Grains:Quotas:Default:MaxMemoriesPerUser"] = "3",
        ["OrleansMemory:Grains:Quotas:Default:MaxBytesPerUser"] = "100000",
        ["OrleansMemory:Grains:Quotas:Default:MaxMessagesPerConversation"] = "4",
        ["OrleansMemory:Grains:Quotas:Default:MaxBytesPerConversation"] = "2000",
        ["OrleansMemory:Grains:Quotas:Tenants:tenant-b:MaxMemoriesPerUser"] = "5",
        ["OrleansMemory:Grains:MaxMetadataBytes"] = "1024",
    };
}

/// <summary>Quotas per user and conversation, per tenant: a clear 429, nothing stored, a counted rejection; input limits
/// on metadata; data-protection keys in the data folder.</summary>
public sealed class QuotaTests(QuotaSiloFactory silo) : IClassFixture<QuotaSiloFactory>
{
    [Fact]
    public async Task A_user_at_its_memory_quota_gets_429_and_nothing_is_stored()
    {
        using var rejections = new RejectionListener();
        var user = Http.NewId("user");
        var client = silo.Client();
        for (var i = 0; i < 3; i++)
        {
            await client.PostAsync($"/v1/users/{user}/memories", Http.Body($$"""{"text":"memory {{i}}","embedding":[{{Axis(i)}}]}""")).Expect(201);
        }

        var detail = await client.PostAsync($"/v1/users/{user}/memories", Http.Body($$"""{"text":"one too many","embedding":[{{Axis(3)}}]}""")).ExpectProblem(429);
        Assert.Contains("user_memories", detail);
        using (var response = await client.PostAsync($"/v1/users/{user}/memories/import", Http.Body($$"""{"memories":[{"text":"imported","embedding":[{{Axis(4)}}]}]}""")))
        {
            var problem = await response.Json();
            Assert.Equal(429, (int)response.StatusCode);
            Assert.Equal("user_memories", problem.GetProperty("quota").GetString());
            Assert.Equal(3, problem.GetProperty("limit").GetInt64());
            Assert.Equal(3, problem.GetProperty("used").GetInt64());
        }

        Assert.Equal(3, (await client.GetAsync($"/v1/users/{user}/stats").Expect(200)).GetProperty("memory_count").GetInt32());
        Assert.True(rejections.Count("user_memories") >= 2);

        var first = (await client.GetAsync($"/v1/users/{user}/memories").Expect(200)).GetProperty("memories")[0].GetProperty("id").GetString();
        await client.DeleteAsync($"/v1/users/{user}/memories/{first}").Expect(204);
        await client.PostAsync($"/v1/users/{user}/memories", Http.Body($$"""{"text":"room again","embedding":[{{Axis(5)}}]}""")).Expect(201);
    }

    [Fact]
    public async Task A_tenant_has_its_own_quota()
    {
        var user = Http.NewId("user");
        var client = silo.Client(SiloFactory.ReadWriteB);
        for (var i = 0; i < 5; i++)
        {
            await client.PostAsync($"/v1/users/{user}/memories", Http.Body($$"""{"text":"memory {{i}}","embedding":[{{Axis(i)}}]}""")).Expect(201);
        }

        await client.PostAsync($"/v1/users/{user}/memories", Http.Body($$"""{"text":"sixth","embedding":[{{Axis(5)}}]}""")).ExpectProblem(429);
    }

    [Fact]
    public async Task A_conversation_at_its_message_or_byte_quota_gets_429()
    {
        using var rejections = new RejectionListener();
        var client = silo.Client();
        var conversation = Http.NewId("conv");
        await client.PostAsync($"/v1/conversations/{conversation}/messages", Http.Body("""{"messages":[{"role":"user","content":"a"},{"role":"user","content":"b"},{"role":"user","content":"c"}]}""")).Expect(201);
        await client.PostAsync($"/v1/conversations/{conversation}/messages", Http.Body("""{"messages":[{"role":"user","content":"d"},{"role":"user","content":"e"}]}""")).ExpectProblem(429);
        Assert.Equal(3, (await client.GetAsync($"/v1/conversations/{conversation}/stats").Expect(200)).GetProperty("message_count").GetInt64());

        var big = Http.NewId("conv");
        var text = new string('x', 1500);
        await client.PostAsync($"/v1/conversations/{big}/messages", Http.Body($$"""{"messages":[{"role":"user","content":"{{text}}"}]}""")).Expect(201);
        Assert.Contains("conversation_bytes", await client.PostAsync($"/v1/conversations/{big}/messages", Http.Body($$"""{"messages":[{"role":"user","content":"{{text}}"}]}""")).ExpectProblem(429));
        Assert.Equal(1, rejections.Count("conversation_messages"));
        Assert.Equal(1, rejections.Count("conversation_bytes"));
    }

    [Fact]
    public async Task Oversized_metadata_is_400_at_the_api_and_at_the_grain()
    {
        var client = silo.Client();
        var user = Http.NewId("user");
        var value = new string('m', 2000);
        var detail = await client.PostAsync($"/v1/users/{user}/memories", Http.Body($$$"""{"text":"t","embedding":[1,0],"metadata":{"k":"{{{value}}}"}}""")).ExpectProblem(400);
        Assert.Contains("metadata", detail);
        var many = string.Join(',', Enumerable.Range(0, 65).Select(i => $"\"k{i}\":1"));
        await client.PostAsync($"/v1/users/{user}/memories", Http.Body($$$"""{"text":"t","embedding":[1,0],"metadata":{{{{many}}}}}""")).ExpectProblem(400);
        await client.PostAsync($"/v1/conversations/{Http.NewId("conv")}/messages", Http.Body($$$"""{"messages":[{"role":"user","content":"c","metadata":{"k":"{{{value}}}"}}]}""")).ExpectProblem(400);

        var grain = silo.Services.GetRequiredService<IGrainFactory>().GetGrain<OrleansMemory.Abstractions.IUserGrain>("tenant-a/" + user);
        var metadata = new Dictionary<string, System.Text.Json.JsonElement> { ["k"] = System.Text.Json.JsonSerializer.SerializeToElement(value) };
        var error = await Assert.ThrowsAsync<OrleansMemory.Abstractions.MemoryValidationException>(() => grain.AddMemoryAsync("t", [1, 0], metadata: metadata));
        Assert.Equal("metadata", error.ParamName);
        Assert.Equal(0, (await client.GetAsync($"/v1/users/{user}/stats").Expect(200)).GetProperty("memory_count").GetInt32());
    }

    [Fact]
    public void Data_protection_keys_live_in_the_data_folder()
    {
        var protector = silo.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector("test");
        Assert.Equal("x", protector.Unprotect(protector.Protect("x")));
        var keys = Path.Combine(silo.StorageDirectory.FullName, ".data-protection-keys");
        Assert.NotEmpty(Directory.GetFiles(keys, "key-*.xml"));
    }

    private static string Axis(int i) => string.Join(',', Enumerable.Range(0, 8).Select(j => j == i ? "1" : "0"));

    /// <summary>Collects <c>orleansmemory.quota.rejections</c> by kind.</summary>
    private sealed class RejectionListener : IDisposable
    {
        private readonly MeterListener _listener = new();
        private readonly Dictionary<string, long> _counts = [];

        public RejectionListener()
        {
            _listener.InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Name == QuotaMeter.MeterName && instrument.Name == QuotaMeter.RejectionsName)
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            };
            _listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
            {
                foreach (var tag in tags)
                {
                    if (tag.Key == QuotaMeter.KindTag && tag.Value is string kind)
                    {
                        lock (_counts)
                        {
                            _counts[kind] = _counts.GetValueOrDefault(kind) + value;
                        }
                    }
                }
            });
            _listener.Start();
        }

        public long Count(string kind)
        {
            lock (_counts)
            {
                return _counts.GetValueOrDefault(kind);
            }
        }

        public void Dispose() => _listener.Dispose();
    }
}
