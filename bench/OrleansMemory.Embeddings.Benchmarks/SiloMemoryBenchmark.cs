using System.Diagnostics;
using System.Globalization;

namespace OrleansMemory.Embeddings.Benchmarks;

/// <summary>The silo's resident memory with the local model loaded and one user growing to <c>count</c> text-only
/// memories (file storage in a temporary directory, default embeddings, 8 concurrent callers over HTTP): RSS before the
/// silo starts, after the model loads, every 2,000 adds and at the end, and the peak. Duplicate and conflict thresholds
/// are set to 1.0 so that the figure is the memories' and the model's, not pending conflicts'.</summary>
internal static class SiloMemoryBenchmark
{
    private static readonly string[] People = ["My sister", "My brother", "My manager", "My neighbour", "My friend Ana", "My cousin", "My dentist", "My son"];
    private static readonly string[] Verbs = ["likes", "recommended", "bought", "talked about", "wants to visit", "dislikes", "reviewed", "booked"];
    private static readonly string[] Things = ["a Thai restaurant", "the science museum", "a blue bicycle", "the jazz festival", "a hiking trail", "an old castle",
        "a vegan bakery", "the night market", "a ceramics class", "a used piano", "a ski resort", "the botanical garden", "a chess club"];
    private static readonly string[] Places = ["Lisbon", "Osaka", "Zürich", "Toronto", "Nairobi", "Oslo", "Lima", "Hanoi", "Porto", "Seville", "Krakow", "Denver"];

    public static async Task RunAsync(int count, int callers, TextWriter output)
    {
        var directory = Directory.CreateTempSubdirectory("omem-embbench-");
        try
        {
            GC.Collect();
            var start = ProcessFigures.Now();
            await using var silo = await SiloUnderTest.StartAsync("--OrleansMemory:Storage:Type=file", $"--OrleansMemory:Storage:BaseDirectory={directory.FullName}",
                "--OrleansMemory:Grains:DuplicateThreshold=1.0", "--OrleansMemory:Grains:ConflictThreshold=1.0").ConfigureAwait(false);
            var started = ProcessFigures.Now();
            await silo.PostAsync("/v1/users/other/memories", new { text = "warm up" }).ConfigureAwait(false);
            var loaded = ProcessFigures.Now();
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"Silo memory, {count} text-only adds to one user, {callers} callers, file storage; load average {File.ReadAllText("/proc/loadavg").Split(' ')[0]}, " +
                $"{(System.Runtime.GCSettings.IsServerGC ? "server" : "workstation")} GC. RSS (MiB): process before the silo {start.RssMb:F0}, silo started " +
                $"{started.RssMb:F0}, model loaded {loaded.RssMb:F0} (anon {loaded.AnonMb:F0} / file {loaded.FileMb:F0})"));
            var next = -1;
            var clock = Stopwatch.GetTimestamp();
            var reported = 0;
            var gate = new object();
            await Task.WhenAll(Enumerable.Range(0, callers).Select(_ => Task.Run(async () =>
            {
                int i;
                while ((i = Interlocked.Increment(ref next)) < count)
                {
                    var text = $"{People[i % People.Length]} {Verbs[i / 8 % Verbs.Length]} {Things[i / 64 % Things.Length]} in {Places[i / 832 % Places.Length]} (note {i}).";
                    await silo.PostAsync("/v1/users/grown/memories", new { text }).ConfigureAwait(false);
                    if ((i + 1) % 2000 == 0)
                    {
                        lock (gate)
                        {
                            var now = ProcessFigures.Now();
                            reported = i + 1;
                            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                                $"  after {reported,6} adds: RSS {now.RssMb:F0} MiB (anon {now.AnonMb:F0} / file {now.FileMb:F0}), {reported / Stopwatch.GetElapsedTime(clock).TotalSeconds:F0} adds/s so far"));
                        }
                    }
                }
            }))).ConfigureAwait(false);
            var end = ProcessFigures.Now();
            GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
            var collected = ProcessFigures.Now();
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  end: RSS {end.RssMb:F0} MiB, after a full collection {collected.RssMb:F0} MiB (managed heap {GC.GetTotalMemory(false) / 1048576.0:F0} MiB), " +
                $"peak {end.PeakMb:F0} MiB; {count / Stopwatch.GetElapsedTime(clock).TotalSeconds:F0} adds/s; storage {DirectorySize(directory) / 1048576.0:F0} MiB on disk."));
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    private static long DirectorySize(DirectoryInfo directory) =>
        directory.EnumerateFiles("*", SearchOption.AllDirectories).Sum(f => f.Length);
}
