using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using OrleansMemory.Configuration;

namespace OrleansMemory.Storage;

/// <summary>Keeps each state record as a JSON file <c>{base}/{grain type}/{key}/{state name}.json</c>, every segment
/// escaped with <see cref="StorageKeyEscaper"/> so that no key can name a path outside the base directory. Writes are
/// atomic (temporary file, flush to disk, rename over the old file). The ETag is a digest of the file's content, so a
/// change made by anyone (another process, an operator's editor) is detected. Writers in this process are serialised
/// per file; run one silo per directory.</summary>
public sealed partial class FileGrainStorage : IGrainStorage
{
    private const int LockStripes = 64;
    private readonly SemaphoreSlim[] _locks = [.. Enumerable.Range(0, LockStripes).Select(_ => new SemaphoreSlim(1, 1))];
    private readonly string _name;
    private readonly string _root;
    private readonly IGrainStorageSerializer _serializer;
    private readonly ILogger _logger;

    /// <summary>Creates the provider and its base directory.</summary>
    public FileGrainStorage(string name, FileGrainStorageOptions options, IGrainStorageSerializer? serializer = null, ILogger<FileGrainStorage>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrWhiteSpace(options.BaseDirectory);
        _name = name;
        _root = Path.GetFullPath(options.BaseDirectory);
        _serializer = serializer ?? new JsonGrainStorageSerializer(options.PrettyPrintJson);
        _logger = logger ?? NullLogger<FileGrainStorage>.Instance;
        Directory.CreateDirectory(_root);
    }

    /// <summary>The absolute base directory.</summary>
    public string RootDirectory => _root;

    /// <summary>The path of a record's file. Every segment is escaped; the result is always inside <see cref="RootDirectory"/>.</summary>
    public string GetPath(string stateName, GrainId grainId)
    {
        ArgumentNullException.ThrowIfNull(stateName);
        var path = Path.Combine(_root, StorageKeyEscaper.Escape(grainId.Type), StorageKeyEscaper.Escape(grainId.Key),
            StorageKeyEscaper.Escape(stateName) + ".json");
        var full = Path.GetFullPath(path);
        if (!full.StartsWith(_root + Path.DirectorySeparatorChar, StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"Refusing a storage path outside '{_root}' for grain {grainId}.");
        }

        return full;
    }

    /// <inheritdoc />
    public async Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        ArgumentNullException.ThrowIfNull(grainState);
        var path = GetPath(stateName, grainId);
        try
        {
            var bytes = await ReadIfExistsAsync(path).ConfigureAwait(false);
            grainState.State = bytes is null ? GrainStateFactory.CreateDefault<T>() : _serializer.Deserialize<T>(bytes);
            grainState.ETag = bytes is null ? null : ComputeETag(bytes);
            grainState.RecordExists = bytes is not null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or System.Text.Json.JsonException)
        {
            throw GrainStorageException.For(_name, "read", grainId, stateName, ex);
        }
    }

    /// <inheritdoc />
    public async Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        ArgumentNullException.ThrowIfNull(grainState);
        var path = GetPath(stateName, grainId);
        var bytes = _serializer.Serialize(grainState.State);
        var gate = LockFor(path);
        await gate.WaitAsync().ConfigureAwait(false);
        try
        {
            await CheckETagAsync(path, grainState.ETag, "write", stateName, grainId).ConfigureAwait(false);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            var temp = path + "." + Guid.NewGuid().ToString("N") + ".tmp";
            try
            {
                await using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 4096, FileOptions.Asynchronous))
                {
                    await stream.WriteAsync(bytes).ConfigureAwait(false);
                    stream.Flush(flushToDisk: true);
                }

                File.Move(temp, path, overwrite: true);
            }
            finally
            {
                File.Delete(temp);
            }

            grainState.ETag = ComputeETag(bytes);
            grainState.RecordExists = true;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw GrainStorageException.For(_name, "write", grainId, stateName, ex);
        }
        finally
        {
            gate.Release();
        }
    }

    /// <inheritdoc />
    public async Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        ArgumentNullException.ThrowIfNull(grainState);
        var path = GetPath(stateName, grainId);
        var gate = LockFor(path);
        await gate.WaitAsync().ConfigureAwait(false);
        try
        {
            await CheckETagAsync(path, grainState.ETag, "clear", stateName, grainId).ConfigureAwait(false);
            File.Delete(path);
            grainState.State = GrainStateFactory.CreateDefault<T>();
            grainState.ETag = null;
            grainState.RecordExists = false;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw GrainStorageException.For(_name, "clear", grainId, stateName, ex);
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>The ETag of a record's bytes: 32 hex digits of their SHA-256.</summary>
    public static string ComputeETag(ReadOnlySpan<byte> bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes)[..16]);

    private async Task CheckETagAsync(string path, string? expected, string operation, string stateName, GrainId grainId)
    {
        var current = await ReadIfExistsAsync(path).ConfigureAwait(false);
        var stored = current is null ? null : ComputeETag(current);
        if (stored != expected)
        {
            LogETagConflict(_logger, _name, operation, stateName, grainId, expected, stored);
            throw new InconsistentStateException(
                $"ETag mismatch on {operation} of state '{stateName}' of grain {grainId} in '{_name}': expected '{expected ?? "<none>"}', stored '{stored ?? "<none>"}'.",
                stored, expected);
        }
    }

    private static async Task<byte[]?> ReadIfExistsAsync(string path)
    {
        try
        {
            return await File.ReadAllBytesAsync(path).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
    }

    private SemaphoreSlim LockFor(string path) => _locks[(uint)StringComparer.Ordinal.GetHashCode(path) % LockStripes];

    [LoggerMessage(Level = LogLevel.Debug, Message = "File storage {Provider}: ETag conflict on {Operation} of {StateName} of {GrainId}: expected {Expected}, stored {Stored}")]
    private static partial void LogETagConflict(ILogger logger, string provider, string operation, string stateName, GrainId grainId, string? expected, string? stored);
}
