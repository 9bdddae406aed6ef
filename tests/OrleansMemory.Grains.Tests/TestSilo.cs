using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OrleansMemory.Configuration;
using OrleansMemory.Hosting;
using OrleansMemory.Storage;

namespace OrleansMemory.Grains.Tests;

/// <summary>Which real storage provider a test silo keeps its records in.</summary>
public enum StorageKind
{
    Memory,
    File,
}

/// <summary>An in-process silo with the memory grains, its storage wrapped in <see cref="RecordingGrainStorage"/>.</summary>
public sealed class TestSilo : IAsyncDisposable
{
    private readonly IHost _host;

    private readonly bool _ownsDirectory;

    private TestSilo(IHost host, RecordingGrainStorage storage, string? directory, bool ownsDirectory)
    {
        _host = host;
        Storage = storage;
        Directory = directory;
        _ownsDirectory = ownsDirectory;
    }

    public IGrainFactory Factory => _host.Services.GetRequiredService<IGrainFactory>();

    public IServiceProvider Services => _host.Services;

    public RecordingGrainStorage Storage { get; }

    /// <summary>The file storage directory, for file silos.</summary>
    public string? Directory { get; }

    public static async Task<TestSilo> StartAsync(StorageKind kind, string? directory = null, Action<MemoryGrainOptions>? configure = null,
        Action<IServiceCollection>? services = null, Action<ISiloBuilder>? silo = null)
    {
        var ownsDirectory = kind == StorageKind.File && directory is null;
        if (kind == StorageKind.File)
        {
            directory ??= NewDirectory();
        }

        RecordingGrainStorage? recording = null;
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        services?.Invoke(builder.Services);
        builder.UseSilo(s =>
        {
            s.UseLocalhostClustering();
            s.AddGrainStorage("Default", (sp, name) => recording = new RecordingGrainStorage(kind == StorageKind.File
                ? new FileGrainStorage(name, new FileGrainStorageOptions { BaseDirectory = directory! })
                : new MemoryGrainStorage()));
            s.AddMemoryGrains(o =>
            {
                o.MaxDocumentBytes = 64 * 1024;
                configure?.Invoke(o);
            });
            silo?.Invoke(s);
        });
        var host = builder.Build();
        try
        {
            await host.StartAsync();
        }
        catch
        {
            host.Dispose();
            throw;
        }

        _ = host.Services.GetRequiredKeyedService<IGrainStorage>("Default");
        return new TestSilo(host, recording!, directory, ownsDirectory);
    }

    public async ValueTask DisposeAsync()
    {
        await _host.StopAsync();
        _host.Dispose();
        if (_ownsDirectory && System.IO.Directory.Exists(Directory))
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
    }

    public static string NewDirectory() => Path.Combine(Path.GetTempPath(), "omem-grains-" + Guid.NewGuid().ToString("N"));
}
