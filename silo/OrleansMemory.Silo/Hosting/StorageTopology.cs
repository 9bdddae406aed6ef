namespace OrleansMemory.Silo.Hosting;

/// <summary>The grain storage providers this silo registered, for health checks, statistics and the dashboard.</summary>
/// <param name="Providers">The real providers (not the grain-type router), default first.</param>
/// <param name="GrainTypeRoutes">Grain type to provider name, for types that do not use the default.</param>
public sealed record StorageTopology(IReadOnlyList<StorageProviderInfo> Providers, IReadOnlyDictionary<string, string> GrainTypeRoutes);

/// <summary>One registered storage provider.</summary>
/// <param name="Name">Its registered (keyed service) name.</param>
/// <param name="Type">file, memory, sqlite, postgres or redis.</param>
/// <param name="Location">Where it keeps data, without secrets.</param>
public sealed record StorageProviderInfo(string Name, string Type, string Location);
