using System.Text;

namespace OrleansMemory.Abstractions;

/// <summary>Where a conversation's memory formation stands.</summary>
/// <param name="UserId">The user grain's key whose memories are formed; null under the silo-wide default until an append
/// names the conversation's user.</param>
/// <param name="Extractor">The extractor's name.</param>
/// <param name="Instructions">The custom instructions, if any.</param>
/// <param name="FormedThrough">The last message sequence processed (0: none).</param>
/// <param name="Pending">Messages not processed yet.</param>
/// <param name="LastError">What the last failed step reported (the error's kind and a message without user text); null after a success.</param>
/// <param name="LastErrorAt">When the last step failed.</param>
/// <param name="MemoriesFormed">Memory formation records this conversation holds.</param>
/// <param name="TokensUsed">Tokens the extractor reported using, in total (the <c>llm</c> extractor).</param>
/// <param name="Attempts">Failed attempts of the current step (0 when the last step succeeded).</param>
/// <param name="Setting">Where the settings come from: <see cref="OwnSetting"/> (set for this conversation) or
/// <see cref="DefaultSetting"/> (the silo-wide default, <c>OrleansMemory:Grains:Formation:Default</c>).</param>
[GenerateSerializer, Alias("orleansmemory.FormationStatus")]
public sealed record FormationStatus(
    string? UserId,
    string Extractor,
    string? Instructions,
    long FormedThrough,
    long Pending,
    string? LastError,
    DateTimeOffset? LastErrorAt,
    int MemoriesFormed,
    long TokensUsed,
    int Attempts,
    string Setting = FormationStatus.OwnSetting)
{
    /// <summary><see cref="Setting"/> of a conversation whose settings were set for it.</summary>
    public const string OwnSetting = "own";

    /// <summary><see cref="Setting"/> of a conversation that follows the silo-wide default.</summary>
    public const string DefaultSetting = "default";

    /// <summary>Prints no text, key or id (only counts, scores, states and times), so that no log line, Orleans' own
    /// included, can carry what a user wrote.</summary>
    private bool PrintMembers(StringBuilder builder)
    {
        builder
            .Append("FormedThrough = ").Append(FormedThrough)
            .Append(", Pending = ").Append(Pending)
            .Append(", MemoriesFormed = ").Append(MemoriesFormed)
            .Append(", Attempts = ").Append(Attempts);
        return true;
    }
}
