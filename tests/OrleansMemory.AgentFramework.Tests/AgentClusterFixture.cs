using Orleans.TestingHost;
using OrleansMemory.Embeddings;
using OrleansMemory.Embeddings.Local;
using OrleansMemory.Grains.Users;
using OrleansMemory.Hosting;

namespace OrleansMemory.AgentFramework.Tests;

/// <summary>An in-process test cluster (one silo: in-memory storage, the memory grains, the local embedding model, as the
/// silo runs them) and a client host that registers the providers the way an agent host does (<c>AddOrleansMemory</c>
/// beside its Orleans client). <see cref="RestartHostAsync"/> replaces the client host: a new process's view of the
/// same cluster (new client, new container, new provider instances; nothing kept in memory of the host).</summary>
public sealed class AgentClusterFixture : IAsyncLifetime
{
    private InProcessTestCluster? _cluster;

    public InProcessTestCluster Cluster => _cluster ?? throw new InvalidOperationException("The cluster has not started.");

    /// <summary>The client host's services.</summary>
    public IServiceProvider Services => Cluster.Client.ServiceProvider;

    public async Task InitializeAsync()
    {
        var builder = new InProcessTestClusterBuilder(1);
        builder.Options.ConfigureFileLogging = false;
        builder.ConfigureSilo((_, silo) =>
        {
            silo.UseMemoryStateJson().AddMemoryGrainStorage("Default");
            silo.AddMemoryGrains(o =>
            {
                o.DuplicateThreshold = MiniLmModel.DuplicateThreshold;
                o.ConflictThreshold = MiniLmModel.ConflictThreshold;
            });
            silo.Services.AddMemoryEmbeddings(new EmbeddingOptions());
            silo.AddOutgoingGrainCallFilter<AddMemoryCallFilter>();
        });
        builder.ConfigureClientHost(host => host.Services.AddOrleansMemory(configureHistory: o => o.MaxMessages = 50));
        _cluster = builder.Build();
        await _cluster.DeployAsync();
    }

    /// <summary>Stops the client host and starts a new one against the same cluster.</summary>
    public async Task RestartHostAsync()
    {
        await Cluster.StopClusterClientAsync();
        await Cluster.InitializeClientAsync();
    }

    public async Task DisposeAsync()
    {
        if (_cluster is not null)
        {
            await _cluster.StopAllSilosAsync();
            await _cluster.DisposeAsync();
        }
    }
}
