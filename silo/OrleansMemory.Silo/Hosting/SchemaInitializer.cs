using OrleansMemory.Storage;

namespace OrleansMemory.Silo.Hosting;

/// <summary>Creates the Orleans ADO.NET tables on PostgreSQL (deploy/sql) before membership is first read, when
/// <c>OrleansMemory:Clustering:CreateSchema</c> is on. Idempotent: silos starting together may all run it.</summary>
internal sealed class SchemaInitializer(string connectionString) : ILifecycleParticipant<ISiloLifecycle>
{
    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(SchemaInitializer), ServiceLifecycleStage.First, ct => AdoNetSchema.ApplyPostgreSqlAsync(connectionString, ct));
}
