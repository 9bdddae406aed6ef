using System.Text;
using System.Text.Json;

namespace OrleansMemory.Abstractions;

/// <summary>A long-term memory of a user (its embedding is kept by the grain and not carried here).</summary>
/// <param name="Id">The memory's id.</param>
/// <param name="Text">What is remembered.</param>
/// <param name="Type">The kind of memory, for example <c>fact</c>, <c>preference</c>, <c>event</c>, <c>instruction</c>.</param>
/// <param name="Importance">0..1.</param>
/// <param name="Metadata">Free-form metadata.</param>
/// <param name="CreatedAt">When it was added.</param>
/// <param name="UpdatedAt">When it last changed.</param>
/// <param name="LastSeenAt">When it was last added again as a duplicate (or created).</param>
/// <param name="MentionCount">How often it was added: 1, plus one per duplicate.</param>
/// <param name="IsArchived">Archived memories are excluded from search unless asked for.</param>
/// <param name="SupersededBy">The memory that replaced this one, if any.</param>
/// <param name="ArchivedAt">When it was archived.</param>
/// <param name="Source">The conversation and messages it was formed from, when a conversation formed it; null otherwise
/// (and once that conversation is deleted).</param>
/// <remarks>Immutable (<see cref="ImmutableAttribute"/>): a change makes a new record, and nobody changes a metadata
/// dictionary once a memory holds it, so grain calls within a silo pass memories by reference instead of copying them.</remarks>
[GenerateSerializer, Immutable, Alias("orleansmemory.SemanticMemory")]
public sealed record SemanticMemory(
    string Id,
    string Text,
    string Type,
    double Importance,
    IReadOnlyDictionary<string, JsonElement>? Metadata,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    DateTimeOffset LastSeenAt,
    int MentionCount,
    bool IsArchived = false,
    string? SupersededBy = null,
    DateTimeOffset? ArchivedAt = null,
    MemorySource? Source = null)
{
    /// <summary>Prints no text, key or id (only counts, scores, states and times), so that no log line, Orleans' own
    /// included, can carry what a user wrote.</summary>
    private bool PrintMembers(StringBuilder builder)
    {
        builder
            .Append("Importance = ").Append(Importance)
            .Append(", CreatedAt = ").Append(CreatedAt)
            .Append(", UpdatedAt = ").Append(UpdatedAt)
            .Append(", LastSeenAt = ").Append(LastSeenAt)
            .Append(", MentionCount = ").Append(MentionCount)
            .Append(", IsArchived = ").Append(IsArchived)
            .Append(", ArchivedAt = ").Append(ArchivedAt);
        return true;
    }
}
