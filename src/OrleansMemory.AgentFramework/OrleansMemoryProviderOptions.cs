using Microsoft.Agents.AI;
using Microsoft.Extensions.Options;

namespace OrleansMemory.AgentFramework;

/// <summary>Options of <see cref="OrleansMemoryProvider"/>.</summary>
public sealed class OrleansMemoryProviderOptions
{
    /// <summary>How many memories are recalled before a run (the best by meaning); 0 recalls none.</summary>
    public int MaxMemories { get; set; } = 5;

    /// <summary>Memories scoring below this (0..1) are not recalled.</summary>
    public double MinScore { get; set; }

    /// <summary>Also recall the user's most recent short-term messages, as hints, up to this many; 0: none.</summary>
    public int ShortTermMessages { get; set; }

    /// <summary>Also tell the model about the user's pending memory conflicts (contradicting memories), as hints.</summary>
    public bool IncludePendingConflicts { get; set; }

    /// <summary>After a run, append the exchange (the request and the answer) to the session's conversation grain; skipped
    /// when the agent's history provider is an <see cref="OrleansChatHistoryProvider"/> (it stores them already).</summary>
    public bool AppendToConversation { get; set; } = true;

    /// <summary>After a run, record the exchange in the user's short-term memory.</summary>
    public bool RecordShortTerm { get; set; } = true;

    /// <summary>Offer the model a <c>remember</c> tool that stores a lasting fact about the user (near-duplicates are
    /// absorbed, contradictions recorded as conflicts, as for any memory).</summary>
    public bool EnableRememberTool { get; set; } = true;

    /// <summary>Whether an error from the cluster fails the agent's run; default: logged, and the run goes on without memory.</summary>
    public bool FailOnMemoryErrors { get; set; }

    /// <summary>The scope of a session that has none in its state bag; default: none (such a session is an error).</summary>
    public Func<AgentSession?, OrleansMemoryScope?>? ScopeInitializer { get; set; }
}

/// <summary>Validates <see cref="OrleansMemoryProviderOptions"/>, every failure at once.</summary>
public sealed class OrleansMemoryProviderOptionsValidator : IValidateOptions<OrleansMemoryProviderOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, OrleansMemoryProviderOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        List<string> failures = [];
        if (options.MaxMemories is < 0 or > 100)
        {
            failures.Add($"MaxMemories must be 0-100 (was {options.MaxMemories}).");
        }

        if (options.MinScore is < 0 or > 1 || double.IsNaN(options.MinScore))
        {
            failures.Add($"MinScore must be 0-1 (was {options.MinScore}).");
        }

        if (options.ShortTermMessages is < 0 or > 100)
        {
            failures.Add($"ShortTermMessages must be 0-100 (was {options.ShortTermMessages}).");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
