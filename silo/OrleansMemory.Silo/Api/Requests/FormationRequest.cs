namespace OrleansMemory.Silo.Api.Requests;

/// <summary>Turns a conversation's background memory formation on.</summary>
/// <param name="UserId">The user (in the caller's tenant) whose memories the conversation forms.</param>
/// <param name="Extractor"><c>rules</c> (the default) or <c>llm</c>, or an extractor the host registered.</param>
/// <param name="Instructions">Custom instructions for the <c>llm</c> extractor.</param>
public sealed record FormationRequest(string UserId, string? Extractor = null, string? Instructions = null);
