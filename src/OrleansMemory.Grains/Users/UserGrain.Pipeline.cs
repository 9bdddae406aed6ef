using OrleansMemory.Abstractions;

namespace OrleansMemory.Grains.Users;

/// <summary>Which text pipeline made a user's embeddings (the model id alone does not say: a new tokenizer makes other
/// vectors from the same model), and re-embedding on demand when the silo's pipeline differs
/// (<see cref="IUserEmbeddingsGrain"/>).</summary>
public sealed partial class UserGrain : IUserEmbeddingsGrain
{
    /// <summary>The service key under which a generator reports its pipeline id as a string
    /// (<c>generator.GetService(typeof(string), PipelineServiceKey)</c>; OrleansMemory.Embeddings' <c>EmbeddingPipeline.ServiceKey</c>).</summary>
    internal const string PipelineServiceKey = "orleansmemory.embedding-pipeline";

    private string? _generatorPipeline;

    /// <summary>The silo generator's pipeline id: the one it reports, else its <c>provider/model</c>.</summary>
    internal string GeneratorPipeline => _generatorPipeline ??=
        _generator?.GetService(typeof(string), PipelineServiceKey) as string ?? GeneratorModel;

    /// <summary>The pipeline to record for embeddings of <paramref name="source"/> (null: the callers').</summary>
    private string? PipelineOf(string? source) => _generator is not null && source == GeneratorModel ? GeneratorPipeline : null;

    /// <summary>Whether the user holds embeddings a silo's generator made (this model or another of the same dimension)
    /// by another or an unknown pipeline. Users stored before sources were recorded (no model) may hold their callers'
    /// vectors: they re-embed only when forced.</summary>
    private bool ReembedNeeded => _generator is not null && _matrix.Count > 0
        && _profile.State.EmbeddingModel is { } model && model != CallerEmbeddings
        && _profile.State.EmbeddingPipeline != GeneratorPipeline;

    /// <inheritdoc />
    public Task<EmbeddingPipelineStatus> GetEmbeddingPipelineAsync(CancellationToken cancellationToken = default) =>
        Task.FromResult(new EmbeddingPipelineStatus(
            _profile.State.EmbeddingModel == CallerEmbeddings ? CallerEmbeddings : _profile.State.EmbeddingPipeline,
            _generator is null ? null : GeneratorPipeline, ReembedNeeded, _profile.State.ReembedPipeline is not null));

    /// <inheritdoc />
    public async Task<ReembedProgress> ReembedAsync(int maxMemories = 512, bool force = false, CancellationToken cancellationToken = default)
    {
        Guard.Range(maxMemories, 1, 10_000, nameof(maxMemories));
        if (_generator is null)
        {
            throw new MemoryValidationException("This silo embeds no text (OrleansMemory:Embeddings:Provider is none): nothing to re-embed with.", nameof(maxMemories));
        }

        var profile = _profile.State;
        if (profile.EmbeddingModel == CallerEmbeddings)
        {
            throw new MemoryValidationException(
                $"User '{UserId}' holds embeddings its callers sent; the silo cannot make the same model's vectors. Send new embeddings with updates instead.",
                nameof(maxMemories));
        }

        var previous = profile.EmbeddingPipeline;
        var pipeline = GeneratorPipeline;
        if (profile.ReembedPipeline != pipeline && !force && !ReembedNeeded)
        {
            return new ReembedProgress(0, 0, previous, pipeline);
        }

        // Continue a run of the same pipeline; anything else starts from the first row.
        var next = profile.ReembedPipeline == pipeline ? profile.ReembedNext : 0;
        var done = 0;
        var size = _memoryLog.PageSize;
        while (next < _matrix.Count && done < maxMemories)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var page = next / size;
            var rows = Enumerable.Range(page * size, Math.Min(size, _matrix.Count - (page * size))).Where(r => _memories[r] is not null).ToList();
            if (rows.Count > 0)
            {
                await ReembedRowsAsync(page, rows, cancellationToken);
            }

            done += rows.Count;
            next = (page + 1) * size;
        }

        var remaining = _matrix.Count > next ? Enumerable.Range(next, _matrix.Count - next).Count(r => _memories[r] is not null) : 0;
        (profile.ReembedPipeline, profile.ReembedNext) = remaining == 0 ? (null, 0) : (pipeline, next);
        if (remaining == 0)
        {
            profile.EmbeddingModel = GeneratorModel;
            profile.EmbeddingPipeline = pipeline;
        }

        await _profile.WriteAsync();
        return new ReembedProgress(done, remaining, previous, pipeline);
    }

    /// <summary>Embeds the texts of <paramref name="rows"/> (all in page <paramref name="page"/>) again, writes the page
    /// once and puts the vectors in the matrix.</summary>
    private async Task ReembedRowsAsync(int page, List<int> rows, CancellationToken cancellationToken)
    {
        var embeddings = await _generator!.GenerateAsync(rows.Select(r => _memories[r]!.Text), cancellationToken: cancellationToken);
        var vectors = new Dictionary<long, float[]>(rows.Count);
        for (var i = 0; i < rows.Count; i++)
        {
            vectors[rows[i]] = EmbeddingInput.Normalize(embeddings[i].Vector.ToArray(), _matrix.Dimension, Options.MaxEmbeddingDimension, "embedding");
        }

        await _memoryLog.UpdatePageAsync(page, (index, item) =>
            vectors.TryGetValue(index, out var v) && item.Memory is not null ? item with { Embedding = EmbeddingMatrix.Encode(v) } : item);
        using (Writing())
        {
            foreach (var (row, vector) in vectors)
            {
                _matrix.Set((int)row, vector);
            }
        }
    }
}
