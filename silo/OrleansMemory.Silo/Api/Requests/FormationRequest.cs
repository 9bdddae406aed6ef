namespace OrleansMemory.Silo.Api.Requests;

/// <summary>Turns a conversation's background memory formation on.</summary>
/// <param name="UserId">The user (in the caller's tenant) whose memories the conversation forms.</param>
/// <param name="Extractor"><c>rules</c> (the default) or <c>llm</c>, or an extractor the host registered.</param>
/// <param name="Instructions">Custom instructions for the <c>llm</c> extractor.</param>
public sealed record FormationRequest(string UserId, string? Extractor = null, string? Instructions = null);

/// <summary>Where a conversation's memory formation stands.</summary>
/// <param name="UserId">The user whose memories are formed, as the caller names it.</param>
/// <param name="Extractor">The extractor.</param>
/// <param name="Instructions">The custom instructions, if any.</param>
/// <param name="FormedThrough">The last message sequence processed.</param>
/// <param name="Pending">Messages not processed yet.</param>
/// <param name="LastError">The last failed step's error (kind and a message without user text); null after a success.</param>
/// <param name="LastErrorAt">When the last step failed.</param>
/// <param name="MemoriesFormed">Memory formation records the conversation holds.</param>
/// <param name="TokensUsed">Tokens the extractor used in the steps that formed memories.</param>
/// <param name="Attempts">Failed attempts of the step being retried (0: none).</param>
public sealed record FormationResponse(
    string UserId,
    string Extractor,
    string? Instructions,
    long FormedThrough,
    long Pending,
    string? LastError,
    DateTimeOffset? LastErrorAt,
    int MemoriesFormed,
    long TokensUsed,
    int Attempts)
{
    /// <summary>The response for a grain's status.</summary>
    public static FormationResponse Of(Abstractions.FormationStatus status) => new(
        Ids.IdOf(status.UserId), status.Extractor, status.Instructions, status.FormedThrough, status.Pending, status.LastError, status.LastErrorAt,
        status.MemoriesFormed, status.TokensUsed, status.Attempts);
}
