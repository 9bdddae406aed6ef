using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using OrleansMemory.Abstractions;

namespace OrleansMemory.Grains.Tests;

/// <summary>Background memory formation through the cluster client: settings, the cursor, sources and records both
/// ways, exactly-once under retries, deletion and erasure. Text embeddings come from a deterministic stand-in generator.</summary>
public sealed class FormationTests
{
    private static Task<MemoryCluster> StartAsync(Action<IServiceCollection>? services = null, StorageKind kind = StorageKind.Memory, string? directory = null,
        int batchSize = 50) =>
        MemoryCluster.StartAsync(kind, directory,
            configure: o =>
            {
                o.Formation.RetryDelay = TimeSpan.FromMilliseconds(50);
                o.Formation.BatchSize = batchSize;
            },
            services: s =>
            {
                s.AddSingleton<IEmbeddingGenerator<string, Embedding<float>>>(new AiIntegrationTests.BagOfWordsGenerator());
                services?.Invoke(s);
            });

    internal static async Task<FormationStatus> DrainedAsync(IConversationGrain conversation, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(20));
        while (true)
        {
            var status = await conversation.GetFormationAsync();
            Assert.NotNull(status);
            if (status.Pending == 0 && status.Attempts == 0)
            {
                return status;
            }

            Assert.True(DateTime.UtcNow < deadline, $"formation did not drain: {status}, last error {status.LastError}");
            await Task.Delay(25);
        }
    }

    [Fact]
    public async Task Appended_turns_form_memories_with_their_source_and_records()
    {
        await using var cluster = await StartAsync();
        var conversation = cluster.Factory.GetGrain<IConversationGrain>("t1/talk");
        var user = cluster.Factory.GetGrain<IUserGrain>("t1/alice");
        Assert.Null(await conversation.GetFormationAsync());
        var set = await conversation.SetFormationAsync(new FormationSettings("t1/alice"));
        Assert.Equal(("t1/alice", "rules", 0L), (set.UserId, set.Extractor, set.FormedThrough));

        await conversation.AppendMessagesAsync(
        [
            new RawMessage("", "user", "hi! btw I'm allergic to peanuts"),
            new RawMessage("", "assistant", "Thanks for telling me. I live in a data centre."),
            new RawMessage("", "user", "What should I cook tonight?"),
            new RawMessage("", "user", "I live in Lisbon."),
        ]);
        var status = await DrainedAsync(conversation);
        Assert.Equal((4L, 0L, 2, (string?)null), (status.FormedThrough, status.Pending, status.MemoriesFormed, status.LastError));

        var memories = (await user.ListMemoriesAsync()).Memories;
        Assert.Equal(["I'm allergic to peanuts.", "I live in Lisbon."], memories.Select(m => m.Text));
        Assert.Equal([("talk", 1L), ("talk", 4L)], memories.Select(m => (m.Source!.ConversationId, m.Source.Sequences.Single())));
        var records = await conversation.LoadFormationRecordsAsync();
        Assert.Equal(memories.Select(m => m.Id), records.Select(r => r.MemoryId));
        Assert.Equal([(1L, 1L), (4L, 4L)], records.Select(r => (r.SourceStartSequence, r.SourceEndSequence)));
        Assert.All(records, r => Assert.Equal("t1/alice", r.UserId));

        // A repeated fact goes through the duplicate pipeline: the memory is seen again, nothing new is stored.
        await conversation.AppendMessageAsync(new RawMessage("", "user", "I live in Lisbon."));
        await DrainedAsync(conversation);
        memories = (await user.ListMemoriesAsync()).Memories;
        Assert.Equal(2, memories.Count);
        Assert.Equal(2, memories.Single(m => m.Text == "I live in Lisbon.").MentionCount);
    }

    [Fact]
    public async Task Formation_embeds_as_background_work_and_a_direct_add_does_not()
    {
        var generator = new MarkRecordingGenerator();
        await using var cluster = await StartAsync(s => s.AddSingleton<IEmbeddingGenerator<string, Embedding<float>>>(generator));
        var conversation = cluster.Factory.GetGrain<IConversationGrain>("t1/marked");
        var user = cluster.Factory.GetGrain<IUserGrain>("t1/marked-user");
        await user.AddMemoryAsync("I play the cello", embedding: null);
        await conversation.SetFormationAsync(new FormationSettings("t1/marked-user"));
        await conversation.AppendMessagesAsync([new RawMessage("", "user", "I live in Porto."), new RawMessage("", "user", "I'm allergic to cats.")]);
        await DrainedAsync(conversation);

        Assert.Equal([("I play the cello", false), ("I live in Porto.|I'm allergic to cats.", true)], generator.Requests.Select(r => (string.Join('|', r.Texts), r.Background)));
    }

    /// <summary>Records each request's texts and whether it was marked as background work.</summary>
    private sealed class MarkRecordingGenerator : IEmbeddingGenerator<string, Embedding<float>>
    {
        private readonly AiIntegrationTests.BagOfWordsGenerator _inner = new();

        public List<(string[] Texts, bool Background)> Requests { get; } = [];

        public Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(IEnumerable<string> values, EmbeddingGenerationOptions? options = null,
            CancellationToken cancellationToken = default)
        {
            var texts = values.ToArray();
            lock (Requests)
            {
                Requests.Add((texts, options?.AdditionalProperties?.TryGetValue(Users.FormationEmbeddings.BackgroundProperty, out var mark) is true && mark is true));
            }

            return _inner.GenerateAsync(texts, options, cancellationToken);
        }

        public object? GetService(Type serviceType, object? serviceKey = null) => null;

        public void Dispose()
        {
        }
    }

    [Fact]
    public async Task A_formed_memory_offered_again_is_added_once_and_counted_once()
    {
        await using var cluster = await StartAsync();
        var user = cluster.Factory.GetGrain<IUserGrain>("t2/bob");
        var formed = new FormedMemory("fm-1", "I play the cello.", MemoryTypes.Fact, 0.6, new MemorySource("talk", [3]), "t2/talk");
        var first = Assert.Single(await user.AddFormedMemoriesAsync([formed]));
        var again = Assert.Single(await user.AddFormedMemoriesAsync([formed]));
        Assert.Equal(("fm-1", "fm-1", AddMemoryOutcome.Added), (first.Memory.Id, again.Memory.Id, again.Outcome));
        Assert.Single((await user.ListMemoriesAsync()).Memories);

        // A formed duplicate of an existing memory bumps it once, however often the step is retried.
        var duplicate = formed with { MemoryId = "fm-2", Source = new MemorySource("talk", [9]) };
        Assert.Equal(AddMemoryOutcome.Duplicate, Assert.Single(await user.AddFormedMemoriesAsync([duplicate])).Outcome);
        Assert.Equal(AddMemoryOutcome.Duplicate, Assert.Single(await user.AddFormedMemoriesAsync([duplicate])).Outcome);

        // A step's memories go in one call, in order: a retried step adds only what its first attempt did not.
        var step = new[] { formed, formed with { MemoryId = "fm-3", Text = "My brother lives in Oslo.", Source = new MemorySource("talk", [11]) } };
        var results = await user.AddFormedMemoriesAsync(step);
        Assert.Equal(["fm-1", "fm-3"], results.Select(r => r.Memory.Id));
        Assert.Equal(2, (await user.ListMemoriesAsync()).Memories.Count);
        Assert.Equal(results.Select(r => r.Memory.Id), (await user.AddFormedMemoriesAsync(step)).Select(r => r.Memory.Id));
        Assert.Equal(2, (await user.ListMemoriesAsync()).Memories.Count);
        Assert.Equal(2, (await user.GetMemoryAsync("fm-1"))!.MentionCount);
        Assert.Null(await user.GetMemoryAsync("fm-2"));

        // One id twice in one call is refused before anything is stored (its vectors would not line up with its offers).
        var twice = formed with { MemoryId = "fm-4", Text = "I collect stamps.", Source = new MemorySource("talk", [12]) };
        await Assert.ThrowsAsync<MemoryValidationException>(() => user.AddFormedMemoriesAsync([twice, twice]));
        Assert.Null(await user.GetMemoryAsync("fm-4"));
    }

    [Fact]
    public async Task A_failing_extractor_is_retried_with_the_error_in_the_status_and_forms_each_memory_once()
    {
        var flaky = new FlakyExtractor(failures: 3);
        await using var cluster = await StartAsync(s => s.AddSingleton<IMemoryExtractor>(flaky));
        var conversation = cluster.Factory.GetGrain<IConversationGrain>("t3/talk");
        var user = cluster.Factory.GetGrain<IUserGrain>("t3/carol");
        await conversation.SetFormationAsync(new FormationSettings("t3/carol", "flaky"));
        await conversation.AppendMessagesAsync([new RawMessage("", "user", "I'm a pilot."), new RawMessage("", "user", "I own a boat.")]);

        var deadline = DateTime.UtcNow.AddSeconds(10);
        FormationStatus? failing;
        while ((failing = await conversation.GetFormationAsync())!.LastError is null)
        {
            Assert.True(DateTime.UtcNow < deadline, "no error was reported");
            await Task.Delay(10);
        }

        Assert.Contains("MemoryFormationException: flaky failure", failing.LastError, StringComparison.Ordinal);
        Assert.NotNull(failing.LastErrorAt);
        var status = await DrainedAsync(conversation);
        Assert.Null(status.LastError);
        Assert.Equal(4, flaky.Calls); // three failures, then the batch
        Assert.Equal(["I'm a pilot.", "I own a boat."], (await user.ListMemoriesAsync()).Memories.Select(m => m.Text));

        var unknown = await Assert.ThrowsAsync<MemoryValidationException>(() => conversation.SetFormationAsync(new FormationSettings("t3/carol", "nope")));
        Assert.Contains("rules", unknown.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_llm_extractor_sends_instructions_counts_tokens_and_retries_malformed_answers()
    {
        var chat = new ScriptedChat();
        await using var cluster = await StartAsync(s => s.AddSingleton<IChatClient>(chat));
        var conversation = cluster.Factory.GetGrain<IConversationGrain>("t4/talk");
        var user = cluster.Factory.GetGrain<IUserGrain>("t4/dan");
        chat.Answers.Enqueue("Sure! Here are the memories: none, really");
        chat.Answers.Enqueue("""{"memories": [{"text": "Allergic to peanuts", "type": "opinion", "sequences": [1]}]}""");
        chat.Answers.Enqueue("```json\n" + """
            {"memories": [{"text": "I am allergic to peanuts.", "type": "fact", "importance": 0.9, "sequences": [1]},
                          {"text": "I have a dog named Rex.", "type": "fact", "sequences": [1, 2]}]}
            """ + "\n```");
        await conversation.SetFormationAsync(new FormationSettings("t4/dan", "llm", "Only health and pets."));
        await conversation.AppendMessagesAsync([new RawMessage("", "user", "peanuts make me ill"), new RawMessage("", "user", "Rex is my dog")]);

        var status = await DrainedAsync(conversation);
        Assert.Equal(3, chat.Calls); // no JSON, then a bad type: both errors, then the answer
        Assert.Equal(30, status.TokensUsed); // each call used 30 tokens; the status counts the steps that formed (the meter counts all)
        var memories = (await user.ListMemoriesAsync()).Memories;
        Assert.Equal(["I am allergic to peanuts.", "I have a dog named Rex."], memories.Select(m => m.Text));
        Assert.Equal(0.9, memories[0].Importance);
        Assert.Equal([1L, 2L], memories[1].Source!.Sequences);
        Assert.Contains("Only health and pets.", chat.LastSystemPrompt, StringComparison.Ordinal);
        Assert.Contains("peanuts make me ill", chat.LastUserPrompt, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Deleting_the_conversation_keeps_the_memories_without_the_link_and_erasing_the_user_removes_the_records()
    {
        await using var cluster = await StartAsync();
        var talk = cluster.Factory.GetGrain<IConversationGrain>("t5/talk");
        var chat = cluster.Factory.GetGrain<IConversationGrain>("t5/chat");
        var erin = cluster.Factory.GetGrain<IUserGrain>("t5/erin");
        var frank = cluster.Factory.GetGrain<IUserGrain>("t5/frank");
        await talk.SetFormationAsync(new FormationSettings("t5/erin"));
        await chat.SetFormationAsync(new FormationSettings("t5/frank"));
        await talk.AppendMessageAsync(new RawMessage("", "user", "I'm a chemist."));
        await chat.AppendMessageAsync(new RawMessage("", "user", "I'm a baker."));
        await DrainedAsync(talk);
        await DrainedAsync(chat);

        await talk.DeleteAsync();
        var kept = (await erin.ListMemoriesAsync()).Memories.Single();
        Assert.Equal(("I'm a chemist.", (MemorySource?)null), (kept.Text, kept.Source));

        Assert.Single(await chat.LoadFormationRecordsAsync());
        await frank.DeleteAllDataAsync();
        Assert.Empty(await chat.LoadFormationRecordsAsync());
        Assert.Null(await chat.GetFormationAsync()); // formation for the erased user is off
        Assert.Empty((await frank.ListMemoriesAsync()).Memories);
    }

    [Fact]
    public async Task Erasing_the_user_turns_off_a_conversation_set_up_for_it_that_has_formed_nothing_yet()
    {
        await using var cluster = await StartAsync();
        var quiet = cluster.Factory.GetGrain<IConversationGrain>("t5b/quiet");
        var hana = cluster.Factory.GetGrain<IUserGrain>("t5b/hana");
        await quiet.SetFormationAsync(new FormationSettings("t5b/hana"));
        await quiet.AppendMessageAsync(new RawMessage("", "user", "What time is it?")); // nothing to remember
        Assert.Equal(1, (await DrainedAsync(quiet)).FormedThrough);

        await hana.DeleteAllDataAsync();
        Assert.Null(await quiet.GetFormationAsync()); // the setting naming the erased user is gone
    }

    [Fact]
    public async Task Replaced_history_is_not_formed_again_and_new_turns_get_new_ids()
    {
        await using var cluster = await StartAsync();
        var conversation = cluster.Factory.GetGrain<IConversationGrain>("t6/talk");
        var user = cluster.Factory.GetGrain<IUserGrain>("t6/gina");
        await conversation.SetFormationAsync(new FormationSettings("t6/gina"));
        await conversation.AppendMessageAsync(new RawMessage("", "user", "I'm a drummer."));
        await DrainedAsync(conversation);
        await conversation.ReplaceMessagesAsync([new RawMessage("", "system", "summary")]);
        await conversation.AppendMessageAsync(new RawMessage("", "user", "I speak Finnish."));
        var status = await DrainedAsync(conversation);
        Assert.Equal(2, status.FormedThrough);
        var memories = (await user.ListMemoriesAsync()).Memories;
        Assert.Equal(["I'm a drummer.", "I speak Finnish."], memories.Select(m => m.Text));
        Assert.NotEqual(memories[0].Id, memories[1].Id);
    }

    [Fact]
    public async Task A_backlog_left_by_a_stopped_cluster_resumes_from_the_cursor_and_forms_nothing_twice()
    {
        var directory = Directory.CreateTempSubdirectory("omem-formation-").FullName;
        try
        {
            var blocking = new BlockingExtractor();
            await using (var first = await StartAsync(s => s.AddSingleton<IMemoryExtractor>(blocking), StorageKind.File, directory, batchSize: 1))
            {
                var conversation = first.Factory.GetGrain<IConversationGrain>("t7/talk");
                await conversation.SetFormationAsync(new FormationSettings("t7/hana", "blocking"));
                await conversation.AppendMessagesAsync([new RawMessage("", "user", "I'm a welder."), new RawMessage("", "user", "I speak Greek.")]);
                await blocking.FirstBatchFormed.Task.WaitAsync(TimeSpan.FromSeconds(20)); // the first batch is formed, the second hangs
                Assert.Equal(1, (await conversation.GetFormationAsync())!.FormedThrough);
            }

            await using var second = await StartAsync(s => s.AddSingleton<IMemoryExtractor>(new BlockingExtractor { Blocks = false }), StorageKind.File, directory, batchSize: 1);
            var again = second.Factory.GetGrain<IConversationGrain>("t7/talk");
            var status = await DrainedAsync(again);
            Assert.Equal((2L, 2), (status.FormedThrough, status.MemoriesFormed));
            var memories = (await second.Factory.GetGrain<IUserGrain>("t7/hana").ListMemoriesAsync()).Memories;
            Assert.Equal(["I'm a welder.", "I speak Greek."], memories.Select(m => m.Text));
            Assert.Equal([1L, 2L], memories.Select(m => m.Source!.Sequences.Single()));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    /// <summary>The rules; with <see cref="Blocks"/>, a batch after the first message never finishes.</summary>
    private sealed class BlockingExtractor : IMemoryExtractor
    {
        public bool Blocks { get; init; } = true;

        public TaskCompletionSource FirstBatchFormed { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public string Name => "blocking";

        public async ValueTask<ExtractionResult> ExtractAsync(ExtractionRequest request, CancellationToken cancellationToken = default)
        {
            if (Blocks && request.Messages[0].Sequence > 1)
            {
                FirstBatchFormed.TrySetResult();
                await Task.Delay(Timeout.Infinite, cancellationToken);
            }

            return await new RuleBasedMemoryExtractor().ExtractAsync(request, cancellationToken);
        }
    }

    private sealed class FlakyExtractor(int failures) : IMemoryExtractor
    {
        private int _calls;

        public int Calls => Volatile.Read(ref _calls);

        public string Name => "flaky";

        public async ValueTask<ExtractionResult> ExtractAsync(ExtractionRequest request, CancellationToken cancellationToken = default)
        {
            if (Interlocked.Increment(ref _calls) <= failures)
            {
                throw new MemoryFormationException("flaky failure");
            }

            return await new RuleBasedMemoryExtractor().ExtractAsync(request, cancellationToken);
        }
    }

    private sealed class ScriptedChat : IChatClient
    {
        private int _calls;

        public Queue<string> Answers { get; } = new();

        public int Calls => Volatile.Read(ref _calls);

        public string LastSystemPrompt { get; private set; } = "";

        public string LastUserPrompt { get; private set; } = "";

        public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
        {
            Interlocked.Increment(ref _calls);
            var list = messages.ToList();
            lock (Answers)
            {
                LastSystemPrompt = list[0].Text;
                LastUserPrompt = list[1].Text;
                var answer = Answers.Count > 0 ? Answers.Dequeue() : """{"memories": []}""";
                return Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, answer))
                {
                    Usage = new UsageDetails { InputTokenCount = 20, OutputTokenCount = 10, TotalTokenCount = 30 },
                });
            }
        }

        public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null,
            CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public object? GetService(Type serviceType, object? serviceKey = null) => null;

        public void Dispose()
        {
        }
    }
}
