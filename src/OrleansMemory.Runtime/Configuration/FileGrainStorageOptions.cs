namespace OrleansMemory.Configuration;

/// <summary>Options of <see cref="Storage.FileGrainStorage"/>.</summary>
public sealed class FileGrainStorageOptions
{
    /// <summary>The directory under which all records are kept. Created when missing.</summary>
    public string BaseDirectory { get; set; } = "./storage_data";

    /// <summary>Write indented, human-readable JSON.</summary>
    public bool PrettyPrintJson { get; set; } = true;
}
