using Microsoft.Extensions.Options;
using OrleansMemory.Grains;
using OrleansMemory.Silo.Configuration;

namespace OrleansMemory.Silo.Api;

/// <summary>Checks request inputs against <see cref="LimitSettings"/>; every failure is an <see cref="ApiValidationException"/>.</summary>
public sealed class ApiLimits(IOptions<SiloOptions> options, IOptions<MemoryGrainOptions> grainOptions)
{
    private readonly LimitSettings _limits = options.Value.Limits;
    private readonly MemoryGrainOptions _grains = grainOptions.Value;

    /// <summary>Checks a batch of messages: its size, each message's content length and metadata.</summary>
    public IReadOnlyList<Requests.MessageInput> Messages(IReadOnlyList<Requests.MessageInput>? messages, bool allowEmpty = false)
    {
        var checkedMessages = Batch(messages, "messages", allowEmpty);
        for (var i = 0; i < checkedMessages.Count; i++)
        {
            Text(checkedMessages[i].Content, $"messages[{i}].content", maxLength: _grains.MaxMessageLength);
            Metadata(checkedMessages[i].Metadata, $"messages[{i}].metadata");
        }

        return checkedMessages;
    }

    /// <summary>Checks a memory text (or, with <paramref name="maxLength"/>, another text) against its length limit.</summary>
    public string? Text(string? value, string parameter, bool optional = false, int? maxLength = null)
    {
        var max = maxLength ?? (parameter is "reason" ? _grains.MaxReasonLength : _grains.MaxMemoryTextLength);
        if (value is null)
        {
            return optional ? null : throw new ApiValidationException(parameter, $"{parameter} is required.");
        }

        return value.Length > max
            ? throw new ApiValidationException(parameter, $"{parameter} is {value.Length} characters long; the limit is {max}.")
            : value;
    }

    /// <summary>Checks a metadata object against the entry, key and size limits.</summary>
    public IReadOnlyDictionary<string, System.Text.Json.JsonElement>? Metadata(IReadOnlyDictionary<string, System.Text.Json.JsonElement>? metadata, string parameter)
    {
        if (metadata is null)
        {
            return null;
        }

        if (metadata.Count > _grains.MaxMetadataEntries)
        {
            throw new ApiValidationException(parameter, $"{parameter} has {metadata.Count} entries; the limit is {_grains.MaxMetadataEntries}.");
        }

        if (metadata.Keys.FirstOrDefault(k => k.Length > _grains.MaxMetadataKeyLength) is { } longKey)
        {
            throw new ApiValidationException(parameter, $"{parameter} has a key of {longKey.Length} characters; the limit is {_grains.MaxMetadataKeyLength}.");
        }

        var bytes = 2 + metadata.Sum(e => System.Text.Encoding.UTF8.GetByteCount(e.Key) + e.Value.GetRawText().Length + 4L);
        return bytes > _grains.MaxMetadataBytes
            ? throw new ApiValidationException(parameter, $"{parameter} is about {bytes} bytes of JSON; the limit is {_grains.MaxMetadataBytes}.")
            : metadata;
    }

    /// <summary>Checks a page size.</summary>
    public int Page(int limit, string parameter = "limit") => limit < 1 || limit > _limits.MaxPageSize
        ? throw new ApiValidationException(parameter, $"{parameter} must be 1-{_limits.MaxPageSize} (was {limit}).")
        : limit;

    /// <summary>Checks an offset or sequence.</summary>
    public static long NonNegative(long value, string parameter) => value < 0
        ? throw new ApiValidationException(parameter, $"{parameter} must be 0 or more (was {value}).")
        : value;

    /// <summary>Checks a batch: present, non-empty unless allowed, at most the batch limit.</summary>
    public IReadOnlyList<T> Batch<T>(IReadOnlyList<T>? items, string parameter, bool allowEmpty = false)
    {
        if (items is null || (!allowEmpty && items.Count == 0))
        {
            throw new ApiValidationException(parameter, $"{parameter} must list at least one item.");
        }

        if (items.Count > _limits.MaxBatchSize)
        {
            throw new ApiValidationException(parameter, $"{parameter} has {items.Count} items; at most {_limits.MaxBatchSize} are accepted per request.");
        }

        if (items.Any(i => i is null))
        {
            throw new ApiValidationException(parameter, $"{parameter} must not contain null.");
        }

        return items;
    }

    /// <summary>Checks an embedding's size and values.</summary>
    public float[]? Embedding(float[]? embedding, string parameter = "embedding")
    {
        if (embedding is null)
        {
            return null;
        }

        if (embedding.Length == 0 || embedding.Length > _limits.MaxEmbeddingDimension)
        {
            throw new ApiValidationException(parameter,
                $"{parameter} has {embedding.Length} values; 1-{_limits.MaxEmbeddingDimension} are accepted.");
        }

        return embedding;
    }
}
