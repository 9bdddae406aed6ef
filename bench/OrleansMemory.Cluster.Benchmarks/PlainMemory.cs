using System.Numerics.Tensors;
using OrleansMemory.Abstractions;

namespace OrleansMemory.Cluster.Benchmarks;

/// <summary>The memory-operation baseline: one user's memories and one conversation's messages as plain objects in
/// the caller's process, behind a <see cref="SemaphoreSlim"/>: the same validation, normalisation, duplicate scan and
/// top-k search as the grain, without a grain call, copies, storage writes or history pages. Every operation yields once
/// (<c>await Task.Yield()</c>) so that it completes asynchronously, as a call does, and several callers share the cores.</summary>
internal sealed class PlainMemory
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly List<SemanticMemory> _memories = [];
    private readonly List<float[]> _vectors = [];
    private readonly List<RawMessage> _messages = [];

    /// <summary>Adds a memory unless one at least 0.95 similar exists; returns it (or the existing one).</summary>
    public async Task<SemanticMemory> AddMemoryAsync(string text, float[] embedding)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(text);
        var vector = Normalize(embedding);
        await Task.Yield();
        await _gate.WaitAsync();
        try
        {
            var best = Top(vector, 1);
            if (best.Count > 0 && best[0].Score >= 0.95)
            {
                return best[0].Memory;
            }

            var now = DateTimeOffset.UtcNow;
            var memory = new SemanticMemory(Guid.NewGuid().ToString("N"), text, MemoryTypes.Fact, 0.5, null, now, now, now, 1);
            _memories.Add(memory);
            _vectors.Add(vector);
            return memory;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>The <paramref name="topK"/> memories most similar to <paramref name="query"/>, best first.</summary>
    public async Task<IReadOnlyList<MemorySearchResult>> SearchAsync(float[] query, int topK)
    {
        var vector = Normalize(query);
        await Task.Yield();
        await _gate.WaitAsync();
        try
        {
            return Top(vector, topK);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Appends a message, numbering it; returns its sequence number.</summary>
    public async Task<long> AppendMessageAsync(RawMessage message)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(message.Content);
        await Task.Yield();
        await _gate.WaitAsync();
        try
        {
            var sequence = _messages.Count + 1L;
            _messages.Add(message with { Id = sequence.ToString(System.Globalization.CultureInfo.InvariantCulture), Sequence = sequence,
                Timestamp = DateTimeOffset.UtcNow });
            return sequence;
        }
        finally
        {
            _gate.Release();
        }
    }

    private List<MemorySearchResult> Top(float[] query, int topK)
    {
        var results = new List<MemorySearchResult>(topK + 1);
        for (var row = 0; row < _vectors.Count; row++)
        {
            var score = TensorPrimitives.Dot(query, _vectors[row]);
            if (results.Count == topK && score <= results[^1].Score)
            {
                continue;
            }

            var at = results.FindIndex(r => r.Score < score);
            results.Insert(at < 0 ? results.Count : at, new MemorySearchResult(_memories[row], score));
            if (results.Count > topK)
            {
                results.RemoveAt(topK);
            }
        }

        return results;
    }

    private static float[] Normalize(float[] embedding)
    {
        if (embedding.Length == 0 || !TensorPrimitives.IsFiniteAll<float>(embedding))
        {
            throw new ArgumentException("The embedding must be non-empty and finite.", nameof(embedding));
        }

        var norm = TensorPrimitives.Norm(embedding);
        if (norm == 0)
        {
            throw new ArgumentException("The embedding must not be zero.", nameof(embedding));
        }

        var vector = new float[embedding.Length];
        TensorPrimitives.Divide(embedding, norm, vector);
        return vector;
    }
}
