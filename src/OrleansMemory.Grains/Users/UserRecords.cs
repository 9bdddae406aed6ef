using OrleansMemory.Abstractions;

namespace OrleansMemory.Grains.Users;

/// <summary>A memory as stored in a page of the <c>memories</c> log: the memory and its normalised embedding as
/// little-endian float32 bytes, which JSON serializers write as one base64 string (the layout of every earlier version;
/// reading it as bytes lets System.Text.Json decode the base64 straight from the page's UTF-8, without a 2-byte-per-char
/// string per memory). A deleted memory is a tombstone without memory or embedding, so positions do not move.
/// <c>Keys</c>: the idempotency keys of the adds that created or merged into this memory (UserGrain.Idempotency.cs),
/// stored in the same write as the change they guard.</summary>
internal sealed record StoredMemory(string Id, SemanticMemory? Memory, byte[]? Embedding, List<IdempotencyRecord>? Keys = null);

/// <summary>The user's small head record (state <c>profile</c>).</summary>
internal sealed class UserProfileState
{
    public int Dimension { get; set; }

    /// <summary>Where the user's embeddings come from: <c>provider/model</c> of the silo's generator, or <c>caller</c>;
    /// null for users stored before it was recorded.</summary>
    public string? EmbeddingModel { get; set; }

    /// <summary>The text pipeline of the silo's generator that made the user's embeddings (for example
    /// <c>minilm-l6-v2/2</c>, see <see cref="UserGrain.GeneratorPipeline"/>); null for caller embeddings and for users
    /// stored before it was recorded.</summary>
    public string? EmbeddingPipeline { get; set; }

    /// <summary>A re-embedding under way: the pipeline it embeds with and the first row not re-embedded yet.</summary>
    public string? ReembedPipeline { get; set; }

    /// <summary>See <see cref="ReembedPipeline"/>.</summary>
    public int ReembedNext { get; set; }

    public int? ShortTermCapacity { get; set; }

    /// <summary>An erasure of the whole user started and has not finished: the next activation finishes it.</summary>
    public bool Erasing { get; set; }

    /// <summary>This user's own retention limits (null fields: the silo's defaults); null when never set.</summary>
    public RetentionSettings? Retention { get; set; }

    /// <summary>The keys of the conversations that formed memories of this user, for erasure to reach their records.</summary>
    public List<string>? FormingConversations { get; set; }
}

/// <summary>The short-term FIFO (state <c>short_term</c>).</summary>
internal sealed class ShortTermState
{
    public List<ShortTermMessage> Messages { get; set; } = [];
}
