using OrleansMemory.Abstractions;

namespace OrleansMemory.Grains.Conversations;

/// <summary>The silo-wide formation default (<see cref="MemoryFormationOptions.Default"/>): a conversation without settings
/// of its own learns its user from the first append that names one, and from then on forms that user's memories (its
/// whole history, as a PUT would) with the default's extractor. An append that names another user than the one the
/// conversation forms for is refused before anything is stored.</summary>
public sealed partial class ConversationGrain
{
    /// <inheritdoc />
    public async Task<IReadOnlyList<long>> AppendMessagesForUserAsync(string userId, IReadOnlyList<RawMessage> messages, CancellationToken cancellationToken = default)
    {
        Guard.Id(userId, nameof(userId), Options);
        var state = _formationState.State;
        var current = state.Off ? null : state.Settings?.UserId ?? (UnderDefault ? state.DefaultUserId : null);
        if (current is not null && current != userId)
        {
            throw new MemoryValidationException(
                "userId names another user than the one this conversation forms memories for; change that user with SetFormationAsync (PUT .../formation).",
                nameof(userId));
        }

        var sequences = await AppendMessagesAsync(messages, cancellationToken);
        if (UnderDefault && state.DefaultUserId is null)
        {
            await LinkUserAsync(userId, cancellationToken);
            await WithFormationWritesAsync(async () =>
            {
                state.DefaultUserId = userId;
                state.FormedThrough = 0; // the user's whole conversation is formed, as when formation is PUT
                state.Attempts = 0;
                state.LastError = null;
                state.LastErrorAt = null;
                _formationEpoch++;
                await _formationState.WriteAsync();
            });
            FormAfterAppend();
        }

        return sequences;
    }

    /// <summary>Tells the user's grain that this conversation forms its memories before the setting is stored, so that the
    /// user's erasure reaches the setting (a crash between leaves the user a link to a conversation with nothing to
    /// forget, which erasure passes over).</summary>
    private Task LinkUserAsync(string userId, CancellationToken cancellationToken) =>
        GrainFactory.GetGrain<IUserGrain>(userId).LinkConversationAsync(this.GetPrimaryKeyString(), cancellationToken);
}
