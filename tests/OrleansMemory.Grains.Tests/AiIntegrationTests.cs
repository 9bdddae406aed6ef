using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using OrleansMemory.Abstractions;
using OrleansMemory.Hosting;

namespace OrleansMemory.Grains.Tests;

/// <summary>The Microsoft.Extensions.AI seams: text-only memories through an embedding generator, and an LLM classifier.
/// The generator and chat client here are deterministic stand-ins for the external models.</summary>
public sealed class AiIntegrationTests
{
    [Fact]
    public async Task Text_only_add_and_search_use_the_registered_embedding_generator()
    {
        await using var cluster = await MemoryCluster.StartAsync(StorageKind.Memory,
            services: s => s.AddSingleton<IEmbeddingGenerator<string, Embedding<float>>>(new BagOfWordsGenerator()));
        var user = cluster.Factory.GetGrain<IUserGrain>("text-user");
        var tea = await user.AddMemoryAsync("green tea every morning");
        await user.AddMemoryAsync("hiking in the alps");
        var results = await user.SearchTextAsync("tea every morning", topK: 1);
        Assert.Equal(tea.Memory.Id, results.Single().Memory.Id);
        Assert.Equal(BagOfWordsGenerator.Dimension, (await user.GetStatsAsync()).EmbeddingDimension);
        var again = await user.AddMemoryAsync("green tea every morning");
        Assert.Equal(AddMemoryOutcome.Duplicate, again.Outcome);
    }

    [Fact]
    public async Task Chat_client_classifier_decides_and_falls_back_to_rules_on_failure()
    {
        var chat = new ScriptedChatClient();
        await using var cluster = await MemoryCluster.StartAsync(StorageKind.Memory,
            services: s => s.AddSingleton<IChatClient>(chat),
            silo: s => s.UseChatClientMemoryClassifier(ChatClientClassifierMode.Replace));
        var user = cluster.Factory.GetGrain<IUserGrain>("chat-user");

        chat.Answer = """{"conflict": true, "category": "preference", "singleton": false, "explanation": "tea vs coffee", "question": "Tea or coffee?"}""";
        await user.AddMemoryAsync("Drinks coffee", Vectors.Axis(4, 0));
        var conflict = (await user.AddMemoryAsync("Drinks tea", Vectors.Near(4, 0, 1, 0.9))).Conflicts.Single();
        Assert.Equal(("preference", "Tea or coffee?", "LLM: tea vs coffee"), (conflict.Category, conflict.ClarificationHint, conflict.Explanation));

        chat.Answer = null; // the chat client throws: the rules decide
        var fallback = (await user.AddMemoryAsync("I live in Rome", Vectors.Axis(4, 2))).Conflicts;
        Assert.Empty(fallback);
        var located = (await user.AddMemoryAsync("I live in Oslo", Vectors.Near(4, 2, 3, 0.9))).Conflicts.Single();
        Assert.Equal(("location", ConflictStatus.AutoResolved), (located.Category, located.Status));
        Assert.Equal(2, chat.Calls); // Rome had no similar memory to ask about
    }

    internal sealed class BagOfWordsGenerator : IEmbeddingGenerator<string, Embedding<float>>
    {
        public const int Dimension = 64;

        public Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(IEnumerable<string> values, EmbeddingGenerationOptions? options = null,
            CancellationToken cancellationToken = default)
        {
            var result = new GeneratedEmbeddings<Embedding<float>>();
            foreach (var value in values)
            {
                var vector = new float[Dimension];
                foreach (var word in value.ToLowerInvariant().Split(' ', StringSplitOptions.RemoveEmptyEntries))
                {
                    var hash = 2166136261u;
                    foreach (var ch in word)
                    {
                        hash = (hash ^ ch) * 16777619u;
                    }

                    vector[(int)(hash % Dimension)] += 1;
                }

                result.Add(new Embedding<float>(vector));
            }

            return Task.FromResult(result);
        }

        public object? GetService(Type serviceType, object? serviceKey = null) => null;

        public void Dispose()
        {
        }
    }

    private sealed class ScriptedChatClient : IChatClient
    {
        public string? Answer { get; set; }

        private int _calls;

        public int Calls => Volatile.Read(ref _calls);

        public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
        {
            Interlocked.Increment(ref _calls); // one instance serves every silo
            return Answer is null
                ? throw new HttpRequestException("model unavailable")
                : Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, Answer)));
        }

        public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null,
            CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public object? GetService(Type serviceType, object? serviceKey = null) => null;

        public void Dispose()
        {
        }
    }
}
