using System.Text;

namespace OrleansMemory.Abstractions;

/// <summary>A caller's decision on a conflict.</summary>
/// <param name="Kind">Keep A, keep B, keep both or merge.</param>
/// <param name="MergedText">For <see cref="ConflictResolutionKind.Merge"/>: the merged memory's text.</param>
/// <param name="MergedEmbedding">For merge: its embedding; when null, the configured embedding generator embeds the
/// text, or else the normalised mean of A's and B's embeddings is used.</param>
/// <param name="Reason">Why, for the history.</param>
[GenerateSerializer, Alias("orleansmemory.ConflictResolution")]
public sealed record ConflictResolution(
    ConflictResolutionKind Kind,
    string? MergedText = null,
    float[]? MergedEmbedding = null,
    string? Reason = null)
{
    /// <summary>Prints no text, key or id (only counts, scores, states and times), so that no log line, Orleans' own
    /// included, can carry what a user wrote.</summary>
    private bool PrintMembers(StringBuilder builder)
    {
        builder
            .Append("Kind = ").Append(Kind);
        return true;
    }
}
