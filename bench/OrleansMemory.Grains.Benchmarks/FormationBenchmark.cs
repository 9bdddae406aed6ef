using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using OrleansMemory.Abstractions;
using OrleansMemory.Embeddings;
using OrleansMemory.Hosting;
using OrleansMemory.Formation.Quality;

namespace OrleansMemory.Grains.Benchmarks;

/// <summary>Background memory formation: (1) append latency with formation on and off in the same run, alternating
/// rounds; (2) a 10,000-message backlog draining while interactive calls (appends to other conversations, reads of the
/// draining conversation) are timed against the same calls before it; (3) precision and recall on the labelled set for
/// the rules extractor and, when <c>OMEM_FORMATION_LLM_MODEL</c> (and <c>OMEM_FORMATION_LLM_ENDPOINT</c>, e.g.
/// <c>http://127.0.0.1:11434/v1</c> for Ollama) is set, the llm extractor. Text is embedded by the local MiniLM model.</summary>
internal static class FormationBenchmark
{
    private static readonly string[] Turns =
    [
        "btw I'm allergic to peanuts", "What's a good recipe for dinner?", "I live in Lisbon.", "Thanks, that helps!",
        "I really love hiking in the mountains.", "Can you plan a weekend trip?", "My sister lives in Boston.", "ok",
    ];

    /// <param name="services">The silo's services.</param>
    /// <param name="llm">Registers the chat client of the llm extractor.</param>
    /// <param name="cheapEmbeddings">Embeds with a hash of the words instead of MiniLM (almost no CPU), to tell what the
    /// model's CPU costs the appends from what formation's writes cost them.</param>
    public static void AddServices(IServiceCollection services, bool llm, bool cheapEmbeddings = false)
    {
        if (cheapEmbeddings)
        {
            services.AddSingleton<Microsoft.Extensions.AI.IEmbeddingGenerator<string, Microsoft.Extensions.AI.Embedding<float>>, WordHashEmbeddings>();
        }
        else
        {
            services.AddMemoryEmbeddings(new EmbeddingOptions { Provider = EmbeddingProviders.Local, LoadAtStartup = true });
        }

        services.AddSingleton<IMemoryExtractor, NothingExtractor>();
        if (llm)
        {
            services.AddConflictClassifierChatClient(new ConflictClassifierOptions
            {
                Provider = EmbeddingProviders.OpenAI,
                Model = Environment.GetEnvironmentVariable("OMEM_FORMATION_LLM_MODEL"),
                Endpoint = Environment.GetEnvironmentVariable("OMEM_FORMATION_LLM_ENDPOINT"),
                ApiKey = Environment.GetEnvironmentVariable("OMEM_FORMATION_LLM_KEY") ?? "none",
            });
        }
    }

    /// <summary>Append p50/p99 with formation off and on: <paramref name="callers"/> concurrent callers, each appending one
    /// user turn at a time to its own conversation. Rounds alternate off / on (rules) / on (finds nothing), and alternate
    /// between the silos, so that each silo's ratio has a baseline taken beside it in time. The silo's CPU use as Orleans
    /// filters it (what formation yields to) is printed for the rounds without formation.</summary>
    /// <param name="silos">The silos, each with its label.</param>
    /// <param name="rounds">Rounds per silo and mode.</param>
    /// <param name="appendsPerCaller">Appends per caller and round.</param>
    /// <param name="interval">Null: each caller appends as soon as its last append was acknowledged (the disk's and the
    /// CPU's limit); else one append per caller per interval (a paced load that leaves the silo gaps).</param>
    /// <param name="callers">Concurrent callers.</param>
    public static async Task<string> AppendLatencyAsync(IReadOnlyList<(string Label, BenchSilo Silo)> silos, int rounds, int appendsPerCaller,
        TimeSpan? interval = null, int callers = 8)
    {
        var results = silos.Select(_ => (Off: new List<Percentiles>(), On: new List<Percentiles>(), Idle: new List<Percentiles>(), Cpu: new List<double>())).ToList();
        foreach (var (_, silo) in silos)
        {
            await RoundAsync(silo.Grains, null, 20, callers); // warm up every path
            await RoundAsync(silo.Grains, "rules", 20, callers);
            await RoundAsync(silo.Grains, "nothing", 20, callers);
        }

        for (var round = 0; round < rounds; round++)
        {
            for (var i = 0; i < silos.Count; i++)
            {
                var silo = silos[i].Silo;
                using (var cpu = new CpuSampler(silo.Services))
                {
                    results[i].Off.Add(await RoundAsync(silo.Grains, null, appendsPerCaller, callers, interval));
                    results[i].Cpu.Add(cpu.Mean);
                }

                results[i].On.Add(await RoundAsync(silo.Grains, "rules", appendsPerCaller, callers, interval));
                results[i].Idle.Add(await RoundAsync(silo.Grains, "nothing", appendsPerCaller, callers, interval));
            }
        }

        var rows = new List<string>();
        for (var i = 0; i < silos.Count; i++)
        {
            var a = Percentiles.Merge(results[i].Off);
            var cpu = results[i].Cpu.Average();
            string Row(string name, Percentiles b) =>
                $"| {name}, {silos[i].Label}, {callers} callers{(interval is { } every ? $" every {every.TotalMilliseconds:F0} ms" : "")} (CPU {cpu:F0}% off) | {a.P(50):F2} | {b.P(50):F2} | {b.P(50) / a.P(50):F2} | {a.P(99):F2} | {b.P(99):F2} | {b.P(99) / a.P(99):F2} | {a.Count} + {b.Count} |";
            rows.Add(Row("append, formation by rules", Percentiles.Merge(results[i].On)));
            rows.Add(Row("append, formation that finds nothing", Percentiles.Merge(results[i].Idle)));
        }

        return string.Join(Environment.NewLine, rows);
    }

    /// <summary>Samples the silo's filtered CPU use every 100 ms until disposed.</summary>
    private sealed class CpuSampler : IDisposable
    {
        private readonly List<float> _samples = [];
        private readonly Timer _timer;

        public CpuSampler(IServiceProvider services)
        {
            var statistics = services.GetRequiredService<Orleans.Statistics.IEnvironmentStatisticsProvider>();
            _timer = new Timer(_ =>
            {
                lock (_samples)
                {
                    _samples.Add(statistics.GetEnvironmentStatistics().FilteredCpuUsagePercentage);
                }
            }, null, TimeSpan.Zero, TimeSpan.FromMilliseconds(100));
        }

        public double Mean
        {
            get
            {
                lock (_samples)
                {
                    return _samples.Count == 0 ? 0 : _samples.Average();
                }
            }
        }

        public void Dispose() => _timer.Dispose();
    }

    /// <summary>384 dimensions from the hashes of a text's words: similar texts get similar vectors, at almost no CPU.</summary>
    private sealed class WordHashEmbeddings : Microsoft.Extensions.AI.IEmbeddingGenerator<string, Microsoft.Extensions.AI.Embedding<float>>
    {
        public Task<Microsoft.Extensions.AI.GeneratedEmbeddings<Microsoft.Extensions.AI.Embedding<float>>> GenerateAsync(IEnumerable<string> values,
            Microsoft.Extensions.AI.EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default) =>
            Task.FromResult(new Microsoft.Extensions.AI.GeneratedEmbeddings<Microsoft.Extensions.AI.Embedding<float>>(values.Select(text =>
            {
                var vector = new float[384];
                foreach (var word in text.Split(' ', StringSplitOptions.RemoveEmptyEntries))
                {
                    vector[(int)((uint)StringComparer.Ordinal.GetHashCode(word) % 384)] += 1;
                }

                vector[0] += 0.01f; // never the zero vector
                return new Microsoft.Extensions.AI.Embedding<float>(vector);
            })));

        public object? GetService(Type serviceType, object? serviceKey = null) =>
            serviceType == typeof(Microsoft.Extensions.AI.EmbeddingGeneratorMetadata) ? new Microsoft.Extensions.AI.EmbeddingGeneratorMetadata("bench", null, "word-hash", 384) : null;

        public void Dispose()
        {
        }
    }

    /// <summary>An extractor that finds nothing: formation's machinery (timer, cursor writes) without its work.</summary>
    private sealed class NothingExtractor : IMemoryExtractor
    {
        public string Name => "nothing";

        public ValueTask<ExtractionResult> ExtractAsync(ExtractionRequest request, CancellationToken cancellationToken = default) =>
            ValueTask.FromResult(new ExtractionResult([]));
    }

    private static async Task<Percentiles> RoundAsync(IGrainFactory grains, string? extractor, int appends, int callers, TimeSpan? interval = null)
    {
        var run = Guid.NewGuid().ToString("N")[..8];
        var parts = await Task.WhenAll(Enumerable.Range(0, callers).Select(async c =>
        {
            var conversation = grains.GetGrain<IConversationGrain>($"bench/{run}-{c}");
            if (extractor is not null)
            {
                await conversation.SetFormationAsync(new FormationSettings($"bench/{run}-u{c}", extractor));
            }

            var latencies = new Percentiles();
            using var pace = interval is { } every ? new PeriodicTimer(every) : null;
            for (var i = 0; i < appends; i++)
            {
                if (pace is not null)
                {
                    await pace.WaitForNextTickAsync();
                }

                var start = Stopwatch.GetTimestamp();
                await conversation.AppendMessageAsync(new RawMessage("", MessageRoles.User, Turns[(i + c) % Turns.Length] + $" #{i}"));
                latencies.Add(start);
            }

            return (latencies, conversation);
        }));
        if (extractor is not null)
        {
            foreach (var (_, conversation) in parts)
            {
                await DrainAsync(conversation, TimeSpan.FromMinutes(5)); // the next round starts on a quiet silo
            }
        }

        return Percentiles.Merge(parts.Select(p => p.latencies));
    }

    /// <summary>A conversation of <paramref name="messages"/> messages turns formation on; returns the drain time and the
    /// interactive latencies before and during the drain.</summary>
    public static async Task<string> BacklogAsync(IGrainFactory grains, int messages)
    {
        var run = Guid.NewGuid().ToString("N")[..8];
        var backlog = grains.GetGrain<IConversationGrain>($"bench/{run}-backlog");
        for (var i = 0; i < messages; i += 500)
        {
            await backlog.AppendMessagesAsync([.. Enumerable.Range(i, Math.Min(500, messages - i))
                .Select(j => new RawMessage("", j % 2 == 0 ? MessageRoles.User : MessageRoles.Assistant, Turns[j % Turns.Length] + $" #{j}"))]);
        }

        var before = await InteractiveAsync(grains, backlog, run, TimeSpan.FromSeconds(5), () => false);
        var start = Stopwatch.GetTimestamp();
        await backlog.SetFormationAsync(new FormationSettings($"bench/{run}-owner"));
        var drained = false;
        var during = InteractiveAsync(grains, backlog, run, TimeSpan.FromMinutes(10), () => Volatile.Read(ref drained));
        var status = await DrainAsync(backlog, TimeSpan.FromMinutes(10));
        var seconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
        Volatile.Write(ref drained, true);
        var d = await during;
        return $"| {messages:N0}-message backlog drained in {seconds:F1} s ({messages / seconds:F0} messages/s, {status.MemoriesFormed} memories) " +
            $"| append p50 {before.Appends.P(50):F2} -> {d.Appends.P(50):F2} ms, p99 {before.Appends.P(99):F2} -> {d.Appends.P(99):F2} ms " +
            $"| read of the draining conversation p50 {before.Reads.P(50):F2} -> {d.Reads.P(50):F2} ms, p99 {before.Reads.P(99):F2} -> {d.Reads.P(99):F2} ms |";
    }

    private static async Task<(Percentiles Appends, Percentiles Reads)> InteractiveAsync(IGrainFactory grains, IConversationGrain backlog, string run,
        TimeSpan limit, Func<bool> stop)
    {
        var appends = new Percentiles();
        var reads = new Percentiles();
        var other = grains.GetGrain<IConversationGrain>($"bench/{run}-other-{Guid.NewGuid():N}");
        var until = Stopwatch.GetTimestamp() + (long)(limit.TotalSeconds * Stopwatch.Frequency);
        var i = 0;
        while (!stop() && Stopwatch.GetTimestamp() < until)
        {
            var start = Stopwatch.GetTimestamp();
            await other.AppendMessageAsync(new RawMessage("", MessageRoles.User, $"interactive {i++}"));
            appends.Add(start);
            start = Stopwatch.GetTimestamp();
            await backlog.GetMessagesAsync(0, 20);
            reads.Add(start);
            await Task.Delay(10);
        }

        return (appends, reads);
    }

    /// <summary>Precision and recall of an extractor on the labelled set, through the grains.</summary>
    public static async Task<string> QualityAsync(IGrainFactory grains, string extractor)
    {
        var set = FormationQualitySet.Load(Path.Combine(AppContext.BaseDirectory, "formation-quality.json"));
        var run = Guid.NewGuid().ToString("N")[..8];
        var score = new QualityScore();
        var tokens = 0L;
        foreach (var c in set.Conversations)
        {
            var conversation = grains.GetGrain<IConversationGrain>($"bench/{run}-{c.Id}");
            await conversation.SetFormationAsync(new FormationSettings($"bench/{run}-{c.Id}", extractor));
            await conversation.AppendMessagesAsync([.. c.Turns.Select(t => new RawMessage("", t.Role, t.Content))]);
            tokens += (await DrainAsync(conversation, TimeSpan.FromMinutes(5))).TokensUsed;
            FormationQualitySet.Score(c, (await conversation.LoadFormationRecordsAsync()).Select(r => (r.SourceStartSequence, r.Content)), score);
        }

        return $"| {extractor} | {set.Conversations.Count} | {set.Conversations.Sum(c => c.Turns.Count)} | {score.Precision:F3} ({score.Right}/{score.Formed}) | {score.Recall:F3} ({score.Right}/{score.Expected}) | {tokens} |";
    }

    private static async Task<FormationStatus> DrainAsync(IConversationGrain conversation, TimeSpan limit)
    {
        var until = Stopwatch.GetTimestamp() + (long)(limit.TotalSeconds * Stopwatch.Frequency);
        while (true)
        {
            var status = (await conversation.GetFormationAsync())!;
            if (status.Pending == 0 && status.Attempts == 0)
            {
                return status;
            }

            if (Stopwatch.GetTimestamp() > until)
            {
                throw new TimeoutException($"formation did not drain: {status}, {status.LastError}");
            }

            await Task.Delay(20);
        }
    }
}
