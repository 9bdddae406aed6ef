namespace OrleansMemory.Client;

/// <summary>Options of <see cref="MemoryStore"/>.</summary>
public sealed class MemoryStoreOptions
{
    /// <summary>The key of the conversation directory grain that indexes the conversations this store writes
    /// (for example the tenant); <see cref="MemoryStore.ListConversationsAsync"/> lists it.</summary>
    public string DirectoryKey { get; set; } = "default";

    /// <summary>How many conversations <see cref="MemoryStore.GetStorageStatsAsync"/> visits at most to total their figures.</summary>
    public int MaxConversationsInStats { get; set; } = 10_000;
}
