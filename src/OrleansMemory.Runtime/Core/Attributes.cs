namespace OrleansMemory;

/// <summary>Requests of a grain class marked reentrant may interleave at awaits: while one request awaits,
/// another may run. Code still runs on one thread at a time.</summary>
[AttributeUsage(AttributeTargets.Class, Inherited = true)]
public sealed class ReentrantAttribute : Attribute;

/// <summary>The method does not change grain state: it may interleave with other read-only methods.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class ReadOnlyAttribute : Attribute;

/// <summary>The method may interleave with any other request of the grain, reentrant or not.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class AlwaysInterleaveAttribute : Attribute;

/// <summary>Instances of the type are never mutated after construction, so the runtime may pass them
/// between caller and grain without copying. Also valid on a parameter or return value.</summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Struct | AttributeTargets.Parameter | AttributeTargets.ReturnValue)]
public sealed class ImmutableAttribute : Attribute;

/// <summary>Names the grain type of a grain class or grain interface. Without it the type name is the class name
/// without a trailing <c>Grain</c>, in lower case (<c>ConversationGrain</c> becomes <c>conversation</c>).</summary>
/// <param name="name">The grain type name, stable across versions: it is part of every <see cref="GrainId"/> and storage key.</param>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Interface, Inherited = false)]
public sealed class GrainTypeAttribute(string name) : Attribute
{
    /// <summary>The grain type name.</summary>
    public string Name { get; } = name;
}
