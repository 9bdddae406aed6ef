using Xunit.Abstractions;

namespace OrleansMemory.Cluster.Tests;

/// <summary>A cluster of silo processes for one test: the first is started alone (it creates the schema and is the
/// first member), then the rest together. When the test fails, every silo's log goes to the test's output; the silos
/// are always stopped.</summary>
internal static class SiloCluster
{
    /// <summary>Settings for PostgreSQL clustering and storage under the service id <paramref name="serviceId"/>.</summary>
    public static Dictionary<string, string> OnPostgres(string serviceId, string connectionString) => new()
    {
        ["OrleansMemory:ClusterId"] = serviceId,
        ["OrleansMemory:ServiceId"] = serviceId,
        ["OrleansMemory:Clustering:Kind"] = "postgres",
        ["OrleansMemory:Clustering:ConnectionString"] = connectionString,
        ["OrleansMemory:Clustering:CreateSchema"] = "true",
        ["OrleansMemory:Storage:Type"] = "postgres",
        ["OrleansMemory:Storage:ConnectionString"] = connectionString,
        ["OrleansMemory:Storage:CreateSchema"] = "true",
    };

    /// <summary>Starts <paramref name="count"/> silos named <paramref name="name"/>1.. and runs <paramref name="test"/> on them.</summary>
    public static async Task<T> RunAsync<T>(string name, IReadOnlyDictionary<string, string> settings, ITestOutputHelper output,
        Func<IReadOnlyList<SiloProcess>, Task<T>> test, int count = 3)
    {
        var silos = new List<SiloProcess>();
        try
        {
            silos.Add(await SiloProcess.StartReadyAsync(name + "1", settings, TimeSpan.FromSeconds(90)));
            var others = Enumerable.Range(2, count - 1).Select(i => SiloProcess.StartReadyAsync(name + i, settings, TimeSpan.FromSeconds(90))).ToList();
            try
            {
                await Task.WhenAll(others);
            }
            finally
            {
                silos.AddRange(others.Where(t => t.IsCompletedSuccessfully).Select(t => t.Result));
            }

            return await test(silos);
        }
        catch
        {
            foreach (var silo in silos)
            {
                output.WriteLine($"--- {silo.Name} log:\n{silo.Log}");
            }

            throw;
        }
        finally
        {
            foreach (var silo in silos)
            {
                await silo.DisposeAsync();
            }
        }
    }

    /// <inheritdoc cref="RunAsync{T}"/>
    public static Task RunAsync(string name, IReadOnlyDictionary<string, string> settings, ITestOutputHelper output,
        Func<IReadOnlyList<SiloProcess>, Task> test, int count = 3) =>
        RunAsync(name, settings, output, async silos =>
        {
            await test(silos);
            return true;
        }, count);
}
