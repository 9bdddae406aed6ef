using Microsoft.Extensions.Options;

namespace OrleansMemory.Grains;

/// <summary>Validates <see cref="MemoryGrainOptions"/> at startup, reporting every failure at once.</summary>
public sealed class MemoryGrainOptionsValidator : IValidateOptions<MemoryGrainOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, MemoryGrainOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        List<string> failures = [];
        if (string.IsNullOrWhiteSpace(options.StorageProviderName))
        {
            failures.Add("MemoryGrainOptions.StorageProviderName must be set.");
        }

        Positive(failures, options.MaxDocumentBytes, nameof(options.MaxDocumentBytes));
        Positive(failures, options.MaxIdLength, nameof(options.MaxIdLength));
        Positive(failures, options.MaxMessageLength, nameof(options.MaxMessageLength));
        Positive(failures, options.MaxMemoryTextLength, nameof(options.MaxMemoryTextLength));
        Positive(failures, options.MaxItemsPerCall, nameof(options.MaxItemsPerCall));
        Positive(failures, options.MaxMetadataBytes, nameof(options.MaxMetadataBytes));
        Positive(failures, options.MaxMetadataEntries, nameof(options.MaxMetadataEntries));
        Positive(failures, options.MaxMetadataKeyLength, nameof(options.MaxMetadataKeyLength));
        Positive(failures, options.MaxReasonLength, nameof(options.MaxReasonLength));
        Positive(failures, options.MaxValueBytes, nameof(options.MaxValueBytes));
        Positive(failures, options.MaxFilterItems, nameof(options.MaxFilterItems));
        foreach (var (tenant, limits) in options.Quotas.Tenants.Append(new("(default)", options.Quotas.Default)))
        {
            foreach (var (limitName, value) in new[]
            {
                (nameof(limits.MaxMemoriesPerUser), limits.MaxMemoriesPerUser), (nameof(limits.MaxBytesPerUser), limits.MaxBytesPerUser),
                (nameof(limits.MaxMessagesPerConversation), limits.MaxMessagesPerConversation), (nameof(limits.MaxBytesPerConversation), limits.MaxBytesPerConversation),
            })
            {
                if (value is < 1)
                {
                    failures.Add($"Quotas {tenant}: {limitName} must be at least 1 (is {value}).");
                }
            }
        }
        Positive(failures, options.MaxEmbeddingDimension, nameof(options.MaxEmbeddingDimension));
        Positive(failures, options.MessagePageSize, nameof(options.MessagePageSize));
        Positive(failures, options.ChainPageSize, nameof(options.ChainPageSize));
        Positive(failures, options.MemoryPageSize, nameof(options.MemoryPageSize));
        Positive(failures, options.MemoryPageBytes, nameof(options.MemoryPageBytes));
        Positive(failures, options.RecordPageSize, nameof(options.RecordPageSize));
        Positive(failures, options.SearchCandidates, nameof(options.SearchCandidates));
        Positive(failures, options.StorageReadAhead, nameof(options.StorageReadAhead));
        Positive(failures, options.MaxConflictCandidates, nameof(options.MaxConflictCandidates));
        Positive(failures, options.MaxPendingConflictsPerMemory, nameof(options.MaxPendingConflictsPerMemory));
        Positive(failures, options.ShortTermMaxMessages, nameof(options.ShortTermMaxMessages));
        Positive(failures, options.MaxContextTokens, nameof(options.MaxContextTokens));
        Thresholds(failures, "MemoryGrainOptions.", options.DuplicateThreshold, options.ConflictThreshold);
        Thresholds(failures, "MemoryGrainOptions.CallerEmbeddings.", options.CallerEmbeddings.DuplicateThreshold, options.CallerEmbeddings.ConflictThreshold);

        if (options.ConflictEscalationAge <= TimeSpan.Zero)
        {
            failures.Add("MemoryGrainOptions.ConflictEscalationAge must be positive.");
        }

        if (options.IdempotencyWindow <= TimeSpan.Zero)
        {
            failures.Add("MemoryGrainOptions.IdempotencyWindow must be positive.");
        }

        Positive(failures, options.MaxIdempotencyKeys, nameof(options.MaxIdempotencyKeys));

        if (options.EscalationCheckPeriod <= TimeSpan.Zero)
        {
            failures.Add("MemoryGrainOptions.EscalationCheckPeriod must be positive.");
        }

        failures.AddRange(MemoryRetentionOptions.Problems(options.Retention.Over(null)).Select(p => "MemoryGrainOptions.Retention." + p.Problem));
        failures.AddRange(options.Formation.Problems().Select(p => "MemoryGrainOptions.Formation." + p));
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void Positive(List<string> failures, int value, string name)
    {
        if (value <= 0)
        {
            failures.Add($"MemoryGrainOptions.{name} must be positive (is {value}).");
        }
    }

    private static void Thresholds(List<string> failures, string prefix, double duplicate, double conflict)
    {
        if (duplicate is < 0 or > 1 || double.IsNaN(duplicate))
        {
            failures.Add($"{prefix}DuplicateThreshold must be within 0..1 (is {duplicate}).");
        }

        if (conflict is < 0 or > 1 || double.IsNaN(conflict))
        {
            failures.Add($"{prefix}ConflictThreshold must be within 0..1 (is {conflict}).");
        }
        else if (conflict > duplicate)
        {
            failures.Add($"{prefix}ConflictThreshold must not exceed DuplicateThreshold.");
        }
    }
}
