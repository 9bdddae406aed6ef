using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using OrleansMemory.Abstractions;
using OrleansMemory.Grains.Storage;

namespace OrleansMemory.Grains;

/// <summary>What every memory grain needs: its options, the clock, and the configured storage provider for its records
/// and paged logs.</summary>
public abstract class MemoryGrainBase : Grain
{
    /// <summary>Binds the grain to its options and storage provider.</summary>
    /// <param name="options">The memory grain options.</param>
    protected MemoryGrainBase(IOptions<MemoryGrainOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        Options = options.Value;
        Clock = ServiceProvider.GetService<TimeProvider>() ?? TimeProvider.System;
        Storage = new StorageFailures(ServiceProvider.GetKeyedService<IGrainStorage>(Options.StorageProviderName)
            ?? throw new InvalidOperationException(
                $"{GetType().Name}: no grain storage provider named '{Options.StorageProviderName}' is registered " +
                "(MemoryGrainOptions.StorageProviderName). Register one with silo.AddMemoryGrainStorage(name) or AddFileGrainStorage(name, ...)."));
    }

    /// <summary>The memory grain options.</summary>
    protected MemoryGrainOptions Options { get; }

    /// <summary>The clock used for timestamps and expiry.</summary>
    protected TimeProvider Clock { get; }

    /// <summary>The storage provider named by <see cref="MemoryGrainOptions.StorageProviderName"/>.</summary>
    private protected IGrainStorage Storage { get; }

    /// <summary>The current time.</summary>
    protected DateTimeOffset Now => Clock.GetUtcNow();

    /// <summary>The grain's group commit: records and logs made by <see cref="Record{T}"/> and <see cref="Log{T}"/> stage
    /// their writes while it is open.</summary>
    private protected WriteBatch Writes { get; } = new();

    private protected StateRecord<T> Record<T>(string stateName) where T : class, new() => new(Storage, this.GetGrainId(), stateName, Writes);

    /// <summary>After an erasure: lets a provider that keeps earlier versions of records (file backups, a SQLite
    /// write-ahead log) erase them too.</summary>
    private protected Task EraseEarlierVersionsAsync(string stateName) => Storage.EraseEarlierVersionsAsync(stateName, this.GetGrainId());

    private protected PagedLog<T> Log<T>(string name, int pageSize) => new(Storage, this.GetGrainId(), name, pageSize, Writes);

    /// <summary>Runs a write of state the activation has already changed (a value, the keys of a retry): when it fails,
    /// the activation is ahead of storage, so it goes and the next call reads the record again, and a retry finds its
    /// idempotency key only if the write was stored.</summary>
    private protected async Task WriteOrForgetAsync(Func<Task> write)
    {
        ArgumentNullException.ThrowIfNull(write);
        try
        {
            await write();
        }
        catch
        {
            DeactivateOnIdle();
            throw;
        }
    }

    /// <summary>A new id for an item the caller did not name.</summary>
    protected static string NewId() => Guid.NewGuid().ToString("N");
}
