using System.Collections.Concurrent;
using System.Globalization;
using System.Numerics.Tensors;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using OrleansMemory.Embeddings.Local;
using OrleansMemory.Grains;

namespace OrleansMemory.Embeddings.Benchmarks;

/// <summary>Retrieval quality (recall@1, recall@5, MRR) of the labelled set through the silo's HTTP API with text only,
/// and the duplicate / conflict thresholds: a sweep over the pairs with the encoder and the rule-based classifier (what
/// the user grain does for one existing memory), then the chosen thresholds checked through the API.</summary>
internal static class QualityBenchmark
{
    public static async Task RunAsync(QualitySet set, TextWriter output)
    {
        output.WriteLine($"Labelled set: {set.Users.Count} users, {set.MemoryCount} distinct memories ({set.Distractors.Count} distractors given to every user), " +
            $"{set.QueryCount} queries, {set.Pairs.Count} pairs ({Count(set, "dup")} duplicate, {Count(set, "conflict")} conflict, {Count(set, "related")} related).");
        await using var silo = await SiloUnderTest.StartAsync().ConfigureAwait(false);
        await RetrievalAsync(set, silo, output).ConfigureAwait(false);
        Sweep(set, output);
        await PairsThroughApiAsync(set, silo, output).ConfigureAwait(false);
    }

    private static int Count(QualitySet set, string label) => set.Pairs.Count(p => p.Label == label);

    private static async Task RetrievalAsync(QualitySet set, SiloUnderTest silo, TextWriter output)
    {
        var ids = new ConcurrentDictionary<(string User, string Key), string>();
        var outcomes = new ConcurrentDictionary<string, int>();
        var flagged = new ConcurrentBag<string>();
        await Parallel.ForEachAsync(set.Users, new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (user, ct) =>
        {
            // Own memories interleaved with the distractors, as a conversation would bring them.
            var items = user.Memories.Select(m => (Key: (string?)m.Key, Text: m.Value)).ToList();
            for (var i = 0; i < set.Distractors.Count; i++)
            {
                items.Insert(Math.Min(items.Count, (i * 7 % (items.Count + 1))), (null, set.Distractors[i]));
            }

            foreach (var (key, text) in items)
            {
                var result = await silo.PostAsync($"/v1/users/q-{user.Name}/memories", new { text }, ct).ConfigureAwait(false);
                var outcome = result.GetProperty("outcome").GetString()!;
                outcomes.AddOrUpdate(outcome, 1, (_, n) => n + 1);
                foreach (var conflict in result.GetProperty("conflicts").EnumerateArray())
                {
                    flagged.Add($"{user.Name}: '{text}' ({conflict.GetProperty("category").GetString()}, {conflict.GetProperty("status").GetString()}, " +
                        $"similarity {conflict.GetProperty("similarity").GetDouble():F2})");
                }

                if (key is not null)
                {
                    ids[(user.Name, key)] = result.GetProperty("memory").GetProperty("id").GetString()!; // a duplicate's is the existing memory
                }
            }
        }).ConfigureAwait(false);
        output.WriteLine($"Adds (text only, HTTP): {string.Join(", ", outcomes.OrderBy(o => o.Key).Select(o => $"{o.Key} {o.Value}"))}; " +
            $"conflicts found (none expected): {string.Join("; ", flagged.Order())}");

        foreach (var includeArchived in new[] { true, false })
        {
            var ranks = new ConcurrentBag<int>();
            await Parallel.ForEachAsync(set.Users.SelectMany(u => u.Queries.Select(q => (u, q))), new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (item, ct) =>
            {
                var (user, (query, expected)) = item;
                var results = await silo.PostAsync($"/v1/users/q-{user.Name}/memories/search",
                    new { query, topK = 10, filter = new { includeArchived } }, ct).ConfigureAwait(false);
                var found = results.EnumerateArray().Select(r => r.GetProperty("memory").GetProperty("id").GetString()).ToList();
                ranks.Add(found.IndexOf(ids[(user.Name, expected)]) + 1);
            }).ConfigureAwait(false);
            var n = (double)ranks.Count;
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"Retrieval ({(includeArchived ? "all memories" : "default search: archived left out")}), {ranks.Count} queries over {set.Users[0].Memories.Count + set.Distractors.Count} memories per user: " +
                $"recall@1 {ranks.Count(r => r == 1) / n:F3}, recall@5 {ranks.Count(r => r is >= 1 and <= 5) / n:F3}, " +
                $"recall@10 {ranks.Count(r => r >= 1) / n:F3}, MRR@10 {ranks.Sum(r => r >= 1 ? 1.0 / r : 0) / n:F3}"));
        }
    }

    /// <summary>Sweeps the thresholds over the pairs: cosine of the encoder's vectors, and the rule-based classifier on the
    /// texts, exactly as the user grain combines them for one existing memory.</summary>
    private static void Sweep(QualitySet set, TextWriter output)
    {
        var generator = new MiniLmEmbeddingGenerator();
        var a = generator.Encode([.. set.Pairs.Select(p => p.Existing)]);
        var b = generator.Encode([.. set.Pairs.Select(p => p.Incoming)]);
        var scored = set.Pairs.Select((p, i) => (p.Label, Cos: TensorPrimitives.Dot(a[i], b[i]), Rule: RuleBasedMemoryClassifier.Classify(p.Existing, p.Incoming).IsConflict)).ToList();
        foreach (var label in new[] { "dup", "conflict", "related" })
        {
            var c = scored.Where(s => s.Label == label).Select(s => s.Cos).Order().ToList();
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  cosine of {label,-8} pairs: min {c[0]:F2}, 10th pct {c[c.Count / 10]:F2}, median {c[c.Count / 2]:F2}, 90th pct {c[c.Count * 9 / 10]:F2}, max {c[^1]:F2}"));
        }

        output.WriteLine("  duplicate threshold d (a duplicate when cosine >= d and the classifier sees no conflict; cosine alone in brackets):");
        for (var d = 0.70; d < 0.985; d += 0.02)
        {
            var (p, r) = PrecisionRecall(scored, s => s.Label == "dup", s => s.Cos >= d && !s.Rule);
            var (p0, r0) = PrecisionRecall(scored, s => s.Label == "dup", s => s.Cos >= d);
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"    d={d:F2}: precision {p:F3}, recall {r:F3} (cosine alone {p0:F3} / {r0:F3})"));
        }

        output.WriteLine("  conflict threshold c (a conflict when cosine >= c and the rule-based classifier sees one):");
        for (var c = 0.20; c < 0.815; c += 0.05)
        {
            var (p, r) = PrecisionRecall(scored, s => s.Label == "conflict", s => s.Cos >= c && s.Rule);
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"    c={c:F2}: precision {p:F3}, recall {r:F3}"));
        }

        var (d95p, d95r) = PrecisionRecall(scored, s => s.Label == "dup", s => s.Cos >= 0.95 && !s.Rule);
        var (c80p, c80r) = PrecisionRecall(scored, s => s.Label == "conflict", s => s.Cos >= 0.80 && s.Rule);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  the defaults for arbitrary vectors: duplicate 0.95 gives {d95p:F3} / {d95r:F3}, conflict 0.80 gives {c80p:F3} / {c80r:F3}"));
        var missed = scored.Select((s, i) => (s, set.Pairs[i])).Where(x => x.s.Label == "conflict" && !x.s.Rule).Select(x => $"'{x.Item2.Existing}' / '{x.Item2.Incoming}'");
        output.WriteLine($"  conflicts the rules cannot see at any threshold: {string.Join("; ", missed)}");
    }

    private static (double Precision, double Recall) PrecisionRecall<T>(IReadOnlyList<T> items, Func<T, bool> actual, Func<T, bool> predicted)
    {
        var tp = items.Count(i => actual(i) && predicted(i));
        var fp = items.Count(i => !actual(i) && predicted(i));
        var fn = items.Count(i => actual(i) && !predicted(i));
        return (tp + fp == 0 ? 1 : (double)tp / (tp + fp), tp + fn == 0 ? 1 : (double)tp / (tp + fn));
    }

    /// <summary>Each pair in a fresh user through the HTTP API with the silo's thresholds: add the existing memory, then
    /// the incoming one, and read the outcome.</summary>
    private static async Task PairsThroughApiAsync(QualitySet set, SiloUnderTest silo, TextWriter output)
    {
        var results = new ConcurrentBag<(string Label, string Outcome)>();
        await Parallel.ForEachAsync(set.Pairs.Select((p, i) => (p, i)), new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (item, ct) =>
        {
            var (pair, i) = item;
            var path = $"/v1/users/pair-{i}/memories";
            await silo.PostAsync(path, new { text = pair.Existing }, ct).ConfigureAwait(false);
            var second = await silo.PostAsync(path, new { text = pair.Incoming }, ct).ConfigureAwait(false);
            var outcome = second.GetProperty("outcome").GetString()!;
            results.Add((pair.Label, outcome == "duplicate" ? "dup" : second.GetProperty("conflicts").GetArrayLength() > 0 ? "conflict" : "added"));
        }).ConfigureAwait(false);
        var list = results.ToList();
        var options = silo.Services.GetRequiredService<IOptions<MemoryGrainOptions>>().Value;
        var (dp, dr) = PrecisionRecall(list, r => r.Label == "dup", r => r.Outcome == "dup");
        var (cp, cr) = PrecisionRecall(list, r => r.Label == "conflict", r => r.Outcome == "conflict");
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Through the API (silo thresholds: duplicate {options.DuplicateThreshold:F2}, conflict {options.ConflictThreshold:F2}, rule-based classifier): " +
            $"duplicates precision {dp:F3} recall {dr:F3}; conflicts precision {cp:F3} recall {cr:F3}."));
        foreach (var group in list.GroupBy(r => r.Label).OrderBy(g => g.Key))
        {
            output.WriteLine($"  {group.Key,-8} pairs -> {string.Join(", ", group.GroupBy(r => r.Outcome).OrderBy(g => g.Key).Select(g => $"{g.Key} {g.Count()}"))}");
        }
    }
}
