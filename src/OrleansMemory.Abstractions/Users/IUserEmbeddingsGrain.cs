using System.Text;

namespace OrleansMemory.Abstractions;

/// <summary>The embeddings of a user (the same grain as <see cref="IUserGrain"/>, same key): which text pipeline made
/// them, and re-embedding every memory's text with the silo's current one when it differs (a new tokenizer or model
/// version), so that old and new vectors are never compared.</summary>
[Alias("orleansmemory.IUserEmbeddingsGrain")]
public interface IUserEmbeddingsGrain : IGrainWithStringKey
{
    /// <summary>The pipeline that made the user's embeddings against the silo's current one.</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task<EmbeddingPipelineStatus> GetEmbeddingPipelineAsync(CancellationToken cancellationToken = default);

    /// <summary>Re-embeds up to <paramref name="maxMemories"/> more memories (live and archived) with the silo's
    /// generator, page by page, continuing where the previous call stopped; when the last one is done the user records the
    /// current pipeline. Call again while <see cref="ReembedProgress.Remaining"/> is above zero. Does nothing when the
    /// pipelines already agree, unless <paramref name="force"/>. Adds and searches keep working meanwhile.</summary>
    /// <param name="maxMemories">The most memories this call re-embeds (1..10,000): a bound on the call's length.</param>
    /// <param name="force">Re-embed even when the recorded pipeline is the current one.</param>
    /// <param name="cancellationToken">Cancels the call (memories already re-embedded stay so).</param>
    /// <exception cref="MemoryValidationException">The silo embeds no text, the user's embeddings are its callers', or the
    /// silo's model has another dimension than the user's embeddings.</exception>
    Task<ReembedProgress> ReembedAsync(int maxMemories = 512, bool force = false, CancellationToken cancellationToken = default);
}

/// <summary>Which pipeline made a user's embeddings.</summary>
/// <param name="Recorded">The pipeline id the user recorded (for example <c>minilm-l6-v2/2</c>); <c>caller</c> for
/// embeddings its callers sent; null when unknown (no memory yet, or stored before pipelines were recorded).</param>
/// <param name="Current">The silo generator's pipeline id; null when the silo embeds no text.</param>
/// <param name="ReembedNeeded">The user holds embeddings of the silo's model from another (or an unknown) pipeline.</param>
/// <param name="InProgress">A re-embedding started and has not reached the last memory.</param>
[GenerateSerializer, Alias("orleansmemory.EmbeddingPipelineStatus")]
public sealed record EmbeddingPipelineStatus(
    string? Recorded,
    string? Current,
    bool ReembedNeeded,
    bool InProgress)
{
    /// <summary>Prints the flags only (no string a record holds is printed).</summary>
    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append("ReembedNeeded = ").Append(ReembedNeeded).Append(", InProgress = ").Append(InProgress);
        return true;
    }
}

/// <summary>How far a re-embedding got.</summary>
/// <param name="Reembedded">Memories this call re-embedded.</param>
/// <param name="Remaining">Memories still to re-embed (0: done, the user records <paramref name="Pipeline"/>).</param>
/// <param name="PreviousPipeline">The pipeline recorded before (null when unknown).</param>
/// <param name="Pipeline">The pipeline the memories are re-embedded with.</param>
[GenerateSerializer, Alias("orleansmemory.ReembedProgress")]
public sealed record ReembedProgress(
    int Reembedded,
    int Remaining,
    string? PreviousPipeline,
    string Pipeline)
{
    /// <summary>Prints the counts only (no string a record holds is printed).</summary>
    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append("Reembedded = ").Append(Reembedded).Append(", Remaining = ").Append(Remaining);
        return true;
    }
}
