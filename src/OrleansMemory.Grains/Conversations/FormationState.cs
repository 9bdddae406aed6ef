using OrleansMemory.Abstractions;

namespace OrleansMemory.Grains.Conversations;

/// <summary>The conversation's memory formation (state <c>formation</c>): the settings, the durable cursor and the last
/// error. Small, written once per formation step.</summary>
internal sealed class FormationState
{
    /// <summary>The conversation's own settings (PUT); null when it has none.</summary>
    public FormationSettings? Settings { get; set; }

    /// <summary>Turned off explicitly (DELETE): the silo-wide default does not apply either, until settings are PUT.</summary>
    public bool Off { get; set; }

    /// <summary>The user an append named (<c>AppendMessagesForUserAsync</c>): the conversation forms this user's memories
    /// under the silo-wide default while it has no settings of its own.</summary>
    public string? DefaultUserId { get; set; }

    /// <summary>The last message sequence processed.</summary>
    public long FormedThrough { get; set; }

    /// <summary>The history generation: replacing the history starts a new one, so formed ids never repeat.</summary>
    public int Generation { get; set; }

    public string? LastError { get; set; }

    public DateTimeOffset? LastErrorAt { get; set; }

    /// <summary>Failed attempts of the current step.</summary>
    public int Attempts { get; set; }

    public long TokensUsed { get; set; }

    /// <summary>The user grain keys this conversation formed memories for (deleting it unlinks their memories).</summary>
    public List<string> Users { get; set; } = [];
}
