using System.Text.Json.Serialization;
using Microsoft.Agents.AI;

namespace OrleansMemory.AgentFramework;

/// <summary>Reads and writes the <see cref="OrleansMemoryScope"/> of an <see cref="AgentSession"/>; both providers use it.</summary>
public static class OrleansMemorySession
{
    /// <summary>The state bag key of the scope.</summary>
    public const string ScopeStateKey = "OrleansMemory.Scope";

    /// <summary>Sets the memory scope of <paramref name="session"/> (before its first run).</summary>
    public static AgentSession SetOrleansMemoryScope(this AgentSession session, OrleansMemoryScope scope)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(scope);
        ArgumentException.ThrowIfNullOrWhiteSpace(scope.UserId, nameof(scope));
        session.StateBag.SetValue(ScopeStateKey, scope, OrleansMemoryJsonContext.Default.Options);
        return session;
    }

    /// <summary>The memory scope of <paramref name="session"/>, or null when none was set.</summary>
    public static OrleansMemoryScope? GetOrleansMemoryScope(this AgentSession? session) =>
        session?.StateBag.TryGetValue<OrleansMemoryScope>(ScopeStateKey, out var scope, OrleansMemoryJsonContext.Default.Options) is true ? scope : null;

    /// <summary>The scope of <paramref name="session"/>, from its state bag or <paramref name="initializer"/>, with a
    /// conversation id (made and saved when missing).</summary>
    internal static OrleansMemoryScope Resolve(AgentSession? session, Func<AgentSession?, OrleansMemoryScope?>? initializer)
    {
        var scope = session.GetOrleansMemoryScope() ?? initializer?.Invoke(session)
            ?? throw new InvalidOperationException(
                "The agent session has no OrleansMemory scope: call session.SetOrleansMemoryScope(new OrleansMemoryScope(userId)) " +
                "after CreateSessionAsync, or set ScopeInitializer in the provider's options.");
        if (scope.ConversationId is null)
        {
            scope = scope with { ConversationId = Guid.NewGuid().ToString("N") };
        }

        if (session is not null)
        {
            session.SetOrleansMemoryScope(scope);
        }

        return scope;
    }
}

/// <summary>Serialization of the session state (source-generated).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(OrleansMemoryScope))]
[JsonSerializable(typeof(string))]
internal sealed partial class OrleansMemoryJsonContext : JsonSerializerContext;
