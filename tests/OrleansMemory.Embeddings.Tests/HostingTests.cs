using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using OrleansMemory.Embeddings.Batching;
using OrleansMemory.Embeddings.Remote;
using OrleansMemory.Hosting;

namespace OrleansMemory.Embeddings.Tests;

public sealed class HostingTests
{
    [Fact]
    public async Task Provider_openai_embeds_through_an_OpenAI_compatible_endpoint_with_the_key_from_the_environment()
    {
        await using var server = await OpenAICompatibleServer.StartAsync();
        var variable = "OMEM_TEST_KEY_" + Guid.NewGuid().ToString("N");
        Environment.SetEnvironmentVariable(variable, "sk-from-env");
        try
        {
            await using var provider = new ServiceCollection().AddLogging()
                .AddMemoryEmbeddings(new EmbeddingOptions { Provider = "openai", Endpoint = server.BaseUrl, Model = "nomic-embed-text", ApiKeyVariable = variable })
                .BuildServiceProvider();
            var generator = provider.GetRequiredService<IEmbeddingGenerator<string, Embedding<float>>>();
            Assert.IsType<BatchingEmbeddingGenerator>(generator);
            var embeddings = await Task.WhenAll(new[] { "a", "bb", "ccc" }.Select(t => generator.GenerateVectorAsync(t)));
            Assert.Equal([1f, 2f, 3f], embeddings.Select(e => e.Span[0]));
            Assert.All(embeddings, e => Assert.Equal(OpenAICompatibleServer.Dimensions, e.Length));
            Assert.All(server.Requests, r => Assert.Equal(("nomic-embed-text", "Bearer sk-from-env"), (r.Model, r.Authorization)));
            Assert.Equal("nomic-embed-text", generator.GetService<EmbeddingGeneratorMetadata>()!.DefaultModelId);
        }
        finally
        {
            Environment.SetEnvironmentVariable(variable, null);
        }
    }

    [Fact]
    public async Task A_remote_endpoint_embeds_background_requests_without_seeing_the_mark()
    {
        await using var server = await OpenAICompatibleServer.StartAsync();
        await using var provider = new ServiceCollection().AddLogging()
            .AddMemoryEmbeddings(new EmbeddingOptions { Provider = "openai", Endpoint = server.BaseUrl, Model = "nomic-embed-text", ApiKey = "sk-test" })
            .BuildServiceProvider();
        var generator = provider.GetRequiredService<IEmbeddingGenerator<string, Embedding<float>>>();
        var background = new EmbeddingGenerationOptions { AdditionalProperties = new() { [BackgroundEmbeddings.PropertyName] = true } };

        var embeddings = await generator.GenerateAsync(["a", "bb"], background);

        Assert.Equal([1f, 2f], embeddings.Select(e => e.Vector.Span[0]));
        var fields = Assert.Single(server.EmbeddingFields);
        Assert.Contains("input", fields);
        Assert.DoesNotContain(fields, f => f.Contains("orleansmemory", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_conflict_classifier_chat_client_talks_to_the_configured_endpoint()
    {
        await using var server = await OpenAICompatibleServer.StartAsync();
        server.ChatAnswer = """{"conflict": false}""";
        var services = new ServiceCollection();
        Assert.False(services.AddConflictClassifierChatClient(new ConflictClassifierOptions()));
        Assert.True(services.AddConflictClassifierChatClient(new ConflictClassifierOptions
        {
            Provider = "openai", Endpoint = server.BaseUrl, Model = "llama3.2", ApiKey = "sk-configured",
        }));
        await using var provider = services.BuildServiceProvider();
        var response = await provider.GetRequiredService<IChatClient>().GetResponseAsync("Do these conflict?");
        Assert.Equal("""{"conflict": false}""", response.Text);
        Assert.Equal(("chat", "llama3.2", "Bearer sk-configured"), server.Requests.Single() is var r ? (r.Path, r.Model, r.Authorization) : default);
    }

    [Fact]
    public async Task Provider_none_registers_nothing_and_local_registers_the_batched_local_model()
    {
        await using (var none = new ServiceCollection().AddLogging().AddMemoryEmbeddings(new EmbeddingOptions { Provider = "none" }).BuildServiceProvider())
        {
            Assert.Null(none.GetService<IEmbeddingGenerator<string, Embedding<float>>>());
        }

        await using var local = new ServiceCollection().AddLogging().AddMemoryEmbeddings(new EmbeddingOptions()).BuildServiceProvider();
        var metadata = local.GetRequiredService<IEmbeddingGenerator<string, Embedding<float>>>().GetService<EmbeddingGeneratorMetadata>()!;
        Assert.Equal(("local", "all-MiniLM-L6-v2", 384), (metadata.ProviderName, metadata.DefaultModelId, metadata.DefaultModelDimensions));
    }

    [Fact]
    public async Task LoadAtStartup_loads_the_local_model_while_the_host_starts()
    {
        await using var provider = new ServiceCollection().AddLogging()
            .AddMemoryEmbeddings(new EmbeddingOptions { LoadAtStartup = true }).BuildServiceProvider();
        var loaders = provider.GetServices<Microsoft.Extensions.Hosting.IHostedService>().ToList();
        Assert.Single(loaders);
        await loaders[0].StartAsync(CancellationToken.None);
        Assert.True(Local.MiniLmModel.IsLoaded);
        Assert.DoesNotContain(new ServiceCollection().AddMemoryEmbeddings(new EmbeddingOptions()), d => d.ServiceType == typeof(Microsoft.Extensions.Hosting.IHostedService));
    }

    [Fact]
    public void Invalid_options_are_refused_with_every_problem_named_by_its_key()
    {
        var failures = EmbeddingOptionsValidator.Failures(new EmbeddingOptions
        {
            Provider = "openai", Endpoint = "localhost:11434", MaxBatchSize = 0, MaxBatchWait = TimeSpan.FromMinutes(1), QueueCapacity = 0, MaxConcurrentBatches = 0,
        }).ToList();
        Assert.Equal(6, failures.Count);
        Assert.Contains(failures, f => f.StartsWith("OrleansMemory:Embeddings:Model must name the model", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("OrleansMemory:Embeddings:Endpoint must be an absolute http(s) URL", StringComparison.Ordinal));
        Assert.Contains("OrleansMemory:Embeddings:Provider must be one of local, openai, none (was 'onnx').",
            EmbeddingOptionsValidator.Failures(new EmbeddingOptions { Provider = "onnx" }));
        Assert.Contains(EmbeddingOptionsValidator.Failures(new EmbeddingOptions { Model = "bge-small" }), f => f.Contains("runs all-MiniLM-L6-v2 only", StringComparison.Ordinal));
        Assert.Equal(2, EmbeddingOptionsValidator.Failures(new ConflictClassifierOptions { Provider = "anthropic", Mode = "sometimes" }).Count());
        Assert.Throws<ArgumentException>(() => new ServiceCollection().AddMemoryEmbeddings(new EmbeddingOptions { Provider = "onnx" }));
        Assert.Empty(EmbeddingOptionsValidator.Failures(new EmbeddingOptions()));
    }

    [Fact]
    public void The_key_comes_from_configuration_then_the_environment_then_a_placeholder()
    {
        Assert.Equal("configured", OpenAICompatible.ResolveKey("configured", "V", _ => "env"));
        Assert.Equal("env", OpenAICompatible.ResolveKey(null, "V", v => v == "V" ? "env" : null));
        Assert.Equal(OpenAICompatible.NoKey, OpenAICompatible.ResolveKey("", "V", _ => null));
    }
}
