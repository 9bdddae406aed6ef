namespace OrleansMemory;

/// <summary>Marks a grain constructor parameter of type <see cref="IPersistentState{TState}"/>: the runtime supplies
/// the state named <paramref name="stateName"/> kept by the storage provider named <paramref name="storageName"/>.</summary>
/// <param name="stateName">The state's name, unique within the grain.</param>
/// <param name="storageName">The storage provider's registered name; null for <c>Default</c>.</param>
[AttributeUsage(AttributeTargets.Parameter)]
public sealed class PersistentStateAttribute(string stateName, string? storageName = null) : Attribute
{
    /// <summary>The name of the provider used when none is given.</summary>
    public const string DefaultStorageName = "Default";

    /// <summary>The state's name.</summary>
    public string StateName { get; } = stateName;

    /// <summary>The storage provider's name.</summary>
    public string StorageName { get; } = storageName ?? DefaultStorageName;
}
