using Microsoft.Extensions.Options;
using OrleansMemory.Silo.Configuration;

namespace OrleansMemory.Silo.Api;

/// <summary>Checks what only the API limits (<see cref="LimitSettings"/>: pages, batches, embedding sizes); every failure
/// is an <see cref="ApiValidationException"/>. Texts, metadata and everything else the grains own are checked once, by
/// the grains, whose messages name the same inputs.</summary>
public sealed class ApiLimits(IOptions<SiloOptions> options)
{
    private readonly LimitSettings _limits = options.Value.Limits;

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
