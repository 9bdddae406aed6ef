using OrleansMemory.Abstractions;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Orleans.Serialization.Serializers;

namespace OrleansMemory.Storage;

/// <summary>Orleans grain storage that keeps each state record as a JSON file
/// <c>{base}/{grain type dir}/{key}/{state file}.json</c> (for example <c>conversations/default%2Fc1/current.json</c>),
/// every segment escaped so that no key can name a path outside the base directory
/// (<see cref="FileGrainStorageOptions.GrainTypeDirectories"/>, <see cref="FileGrainStorageOptions.StateFileNames"/>).
/// Writes are atomic and durable before they are acknowledged (temporary file, flush to disk, rename over the old file,
/// flush of the directory) and, with
/// <see cref="FileGrainStorageOptions.CreateBackups"/>, keep the previous version under <c>.backups</c>; clearing a
/// record erases it and its backups, durably too. The ETag is a
/// digest of the file's content, so a change made by anyone (another process, an operator's editor) is detected.
/// Writers in this process are serialised per file; run one silo per directory.</summary>
public sealed partial class FileGrainStorage : IGrainStorage, IGrainStorageCatalog, IVersionedGrainStorage, ILifecycleParticipant<ISiloLifecycle>
{
    private const int LockStripes = 64;
    private readonly SemaphoreSlim[] _locks = [.. Enumerable.Range(0, LockStripes).Select(_ => new SemaphoreSlim(1, 1))];
    private readonly string _root;
    private readonly FileGrainStorageOptions _options;
    private readonly FileStorageLayout _layout;
    private readonly IGrainStorageSerializer _serializer;
    private readonly IActivatorProvider _activators;
    private readonly ILogger _logger;

    /// <summary>Creates the provider; its directory is checked (or created) when the silo starts.</summary>
    /// <param name="name">The provider's registered name.</param>
    /// <param name="options">The options.</param>
    /// <param name="serializer">The grain storage serializer (System.Text.Json with <see cref="MemoryStateJson"/> in a silo
    /// configured with <c>UseMemoryStateJson</c>); its output is indented when <see cref="FileGrainStorageOptions.PrettyPrintJson"/> is set.</param>
    /// <param name="activators">Creates the default state when no record exists.</param>
    /// <param name="logger">The logger.</param>
    /// <exception cref="ArgumentException">The options are invalid; the message lists every failure.</exception>
    public FileGrainStorage(string name, FileGrainStorageOptions options, IGrainStorageSerializer serializer, IActivatorProvider activators, ILogger<FileGrainStorage> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(serializer);
        ArgumentNullException.ThrowIfNull(activators);
        ArgumentNullException.ThrowIfNull(logger);
        var failures = FileGrainStorageOptionsValidator.Failures(name, options).ToList();
        if (failures.Count > 0)
        {
            throw new ArgumentException(string.Join(" ", failures), nameof(options));
        }

        Name = name;
        _options = options;
        _root = Path.GetFullPath(options.BaseDirectory).TrimEnd(Path.DirectorySeparatorChar);
        _layout = new FileStorageLayout(_root, options);
        _serializer = serializer;
        _activators = activators;
        _logger = logger;
    }

    /// <inheritdoc />
    public string Name { get; }

    /// <summary>The absolute base directory.</summary>
    public string RootDirectory => _root;

    /// <inheritdoc />
    public void Participate(ISiloLifecycle lifecycle)
    {
        ArgumentNullException.ThrowIfNull(lifecycle);
        lifecycle.Subscribe(nameof(FileGrainStorage) + "-" + Name, _options.InitStage, Init);
    }

    /// <summary>Checks the base directory, creating it when <see cref="FileGrainStorageOptions.CreateBaseDirectory"/> is set.</summary>
    public Task Init(CancellationToken cancellationToken)
    {
        if (_options.CreateBaseDirectory)
        {
            Directory.CreateDirectory(_root);
        }
        else if (!Directory.Exists(_root))
        {
            throw new DirectoryNotFoundException($"File storage '{Name}': the directory '{_root}' does not exist.");
        }

        LogInformationStarted(_logger, Name, _root);
        return Task.CompletedTask;
    }

    /// <summary>The path of a record's file. Every segment is escaped; the result is always inside <see cref="RootDirectory"/>.</summary>
    public string GetPath(string stateName, GrainId grainId)
    {
        ArgumentNullException.ThrowIfNull(stateName);
        var (type, key) = CatalogArguments.Parts(grainId);
        return _layout.StatePath(type, key, stateName);
    }

    /// <inheritdoc />
    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        ReadStateAsync(stateName, grainId, grainState, CancellationToken.None);

    /// <inheritdoc />
    public async Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(grainState);
        var path = GetPath(stateName, grainId);
        try
        {
            var bytes = await ReadIfExistsAsync(path, cancellationToken).ConfigureAwait(false);
            var state = bytes is null ? default : _serializer.Deserialize<T>(new BinaryData(bytes));
            grainState.State = state ?? CreateDefault<T>();
            grainState.ETag = bytes is null ? null : ComputeETag(bytes);
            grainState.RecordExists = bytes is not null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or JsonException)
        {
            throw GrainStorageException.For(Name, "read", grainId, stateName, ex);
        }
    }

    /// <inheritdoc />
    public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        WriteStateAsync(stateName, grainId, grainState, CancellationToken.None);

    /// <inheritdoc />
    public async Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(grainState);
        using var activity = FileStorageActivity.Start("file write state");
        activity?.SetTag("grain.type", grainId.Type.ToString());
        byte[] bytes;
        using (FileStorageActivity.Start("file serialize"))
        {
            bytes = Serialize(grainState.State, indent: _options.PrettyPrintJson && !FileStorageLayout.IsLogPage(stateName));
        }

        grainState.ETag = await WriteBytesAsync(stateName, grainId, bytes, grainState.ETag, cancellationToken).ConfigureAwait(false);
        grainState.RecordExists = true;
    }

    /// <inheritdoc />
    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        ClearStateAsync(stateName, grainId, grainState, CancellationToken.None);

    /// <inheritdoc />
    public async Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(grainState);
        var path = GetPath(stateName, grainId);
        var gate = LockFor(path);
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (await CheckETagAsync(path, grainState.ETag, "clear", stateName, grainId, cancellationToken).ConfigureAwait(false) is not null)
            {
                File.Delete(path); // nothing to delete (and maybe no grain directory) when no record exists
                DeleteBackups(path); // clearing is erasing: no earlier version of the record stays on disk
                DeleteTemporaryFiles(path); // nor a half-written one a crash left behind
                var (type, key) = CatalogArguments.Parts(grainId);
                _layout.RemoveIfEmpty(type, key);
                await FlushRemovalsAsync(Path.GetDirectoryName(path)!).ConfigureAwait(false); // and none comes back after a power loss
            }

            grainState.State = CreateDefault<T>();
            grainState.ETag = null;
            grainState.RecordExists = false;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw GrainStorageException.For(Name, "clear", grainId, stateName, ex);
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>The ETag of a record's bytes: 32 hex digits of their SHA-256.</summary>
    public static string ComputeETag(ReadOnlySpan<byte> bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes)[..16]);

    private async Task<string> WriteBytesAsync(string stateName, GrainId grainId, ReadOnlyMemory<byte> bytes, string? eTag, CancellationToken cancellationToken)
    {
        var path = GetPath(stateName, grainId);
        var gate = LockFor(path);
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        var (type, key) = CatalogArguments.Parts(grainId);
        byte[]? previous = null;
        try
        {
            using (FileStorageActivity.Start("file check"))
            {
                previous = await CheckETagAsync(path, eTag, "write", stateName, grainId, cancellationToken).ConfigureAwait(false);
            }

            var newDirectories = _layout.EnsureSidecars(type, key, stateName);
            if (previous is not null && _options.CreateBackups && !FileStorageLayout.IsLogPage(stateName))
            {
                await BackupAsync(path, previous, cancellationToken).ConfigureAwait(false);
            }

            try
            {
                await WriteAtomicallyAsync(path, bytes).ConfigureAwait(false);
            }
            catch (DirectoryNotFoundException)
            {
                // A clear of this grain's last other record removed the emptied directory meanwhile.
                newDirectories = Math.Max(newDirectories, _layout.EnsureSidecars(type, key, stateName));
                await WriteAtomicallyAsync(path, bytes).ConfigureAwait(false);
            }

            // The rename is durable once the directory is flushed; a new directory, once its parent is.
            var directory = Path.GetDirectoryName(path)!;
            await FlushDirectoryAsync(directory).ConfigureAwait(false);
            if (newDirectories > 0)
            {
                await FlushDirectoryAsync(Path.GetDirectoryName(directory)!).ConfigureAwait(false);
            }

            if (newDirectories > 1)
            {
                await FlushDirectoryAsync(_root).ConfigureAwait(false);
            }

            return ComputeETag(bytes.Span);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            if (previous is null)
            {
                RemoveEmptyGrainDirectory(type, key); // a first write that failed (a full disk) leaves no empty directory
            }

            throw GrainStorageException.For(Name, "write", grainId, stateName, ex);
        }
        finally
        {
            gate.Release();
        }
    }

    private static async Task WriteAtomicallyAsync(string path, ReadOnlyMemory<byte> bytes)
    {
        var temp = path + "." + Guid.NewGuid().ToString("N") + ".tmp";
        try
        {
            await using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 4096, FileOptions.Asynchronous))
            {
                using (FileStorageActivity.Start("file write"))
                {
                    await stream.WriteAsync(bytes, CancellationToken.None).ConfigureAwait(false);
                }

                using (FileStorageActivity.Start("file fsync"))
                {
                    await DiskFlush.FlushAsync(stream).ConfigureAwait(false);
                }
            }

            File.Move(temp, path, overwrite: true);
        }
        finally
        {
            if (File.Exists(temp))
            {
                File.Delete(temp);
            }
        }
    }

    private void RemoveEmptyGrainDirectory(string type, string key)
    {
        try
        {
            _layout.RemoveIfEmpty(type, key);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // the write's own failure is what the caller needs to hear about
        }
    }

    private async Task<byte[]?> CheckETagAsync(string path, string? expected, string operation, string stateName, GrainId grainId, CancellationToken cancellationToken)
    {
        var current = await ReadIfExistsAsync(path, cancellationToken).ConfigureAwait(false);
        var stored = current is null ? null : ComputeETag(current);
        if (stored != expected)
        {
            LogDebugETagConflict(_logger, Name, operation, stateName, grainId, expected, stored);
            throw new InconsistentStateException(
                $"ETag mismatch on {operation} of state '{stateName}' of grain {grainId} in '{Name}': expected '{expected ?? "<none>"}', stored '{stored ?? "<none>"}'.",
                stored, expected);
        }

        return current;
    }

    private static async Task<byte[]?> ReadIfExistsAsync(string path, CancellationToken cancellationToken)
    {
        try
        {
            return await File.ReadAllBytesAsync(path, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
    }

    private byte[] Serialize<T>(T? state, bool indent)
    {
        var bytes = _serializer.Serialize(state).ToArray();
        if (!indent || state is RawPayload)
        {
            return bytes;
        }

        try
        {
            using var document = JsonDocument.Parse(bytes);
            var buffer = new System.Buffers.ArrayBufferWriter<byte>(bytes.Length * 2);
            using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
            {
                document.WriteTo(writer);
            }

            return buffer.WrittenSpan.ToArray();
        }
        catch (JsonException)
        {
            return bytes; // not JSON (a binary serializer): stored as it is
        }
    }

    private T CreateDefault<T>() => _activators.GetActivator<T>().Create();

    private SemaphoreSlim LockFor(string path) => _locks[(uint)StringComparer.Ordinal.GetHashCode(path) % LockStripes];

    [LoggerMessage(Level = LogLevel.Debug, Message = "File storage {Provider}: ETag conflict on {Operation} of {StateName} of {GrainId}: expected {Expected}, stored {Stored}")]
    private static partial void LogDebugETagConflict(ILogger logger, string provider, string operation, string stateName, GrainId grainId, string? expected, string? stored);

    [LoggerMessage(Level = LogLevel.Information, Message = "File storage {Provider} keeps grain state under {Directory}")]
    private static partial void LogInformationStarted(ILogger logger, string provider, string directory);

    [LoggerMessage(Level = LogLevel.Debug, Message = "File storage {Provider}: kept backup {Path}")]
    private static partial void LogDebugBackup(ILogger logger, string provider, string path);
}
