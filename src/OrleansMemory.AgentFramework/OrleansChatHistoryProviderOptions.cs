using Microsoft.Agents.AI;

namespace OrleansMemory.AgentFramework;

/// <summary>Options of <see cref="OrleansChatHistoryProvider"/>.</summary>
public sealed class OrleansChatHistoryProviderOptions
{
    /// <summary>At most this many of the newest messages are given to the model (1..1000).</summary>
    public int MaxMessages { get; set; } = 100;

    /// <summary>When set, the newest messages within about this many tokens (4 characters a token) are given to the
    /// model; the newest message is always given.</summary>
    public int? MaxTokens { get; set; }

    /// <summary>Whether an error from the cluster fails the agent's run; default: logged, and the run goes on (without
    /// history when reading failed; unsaved when writing failed).</summary>
    public bool FailOnMemoryErrors { get; set; }

    /// <summary>The scope of a session that has none in its state bag; default: none (such a session is an error).</summary>
    public Func<AgentSession?, OrleansMemoryScope?>? ScopeInitializer { get; set; }
}
