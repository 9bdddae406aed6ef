namespace OrleansMemory.Storage;

/// <summary>Storage configuration is invalid; the message names every offending setting.</summary>
public sealed class GrainStorageConfigurationException(string message) : Exception(message);
