namespace OrleansMemory.Storage;

/// <summary>One page of grain ids.</summary>
/// <param name="Ids">The ids on this page, in the provider's key order.</param>
/// <param name="ContinuationToken">The token that fetches the next page; null when this is the last page.</param>
public sealed record GrainIdPage(IReadOnlyList<GrainId> Ids, string? ContinuationToken);
