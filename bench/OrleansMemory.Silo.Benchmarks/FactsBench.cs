using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using OrleansMemory.Abstractions;

/// <summary>Issue 24 items 3 and 4: <c>count</c> templated one-sentence facts (<see cref="Facts"/>) added as text to one
/// user over HTTP by <c>callers</c> concurrent callers, on a silo with default settings and file storage (the local model
/// embeds them, 384 dimensions): bytes on disk against the raw bytes (text, float32 vectors, ids), what backups hold,
/// the user's memories and pending conflicts, and the add rate.</summary>
internal static class FactsBench
{
    public static async Task RunAsync(string[] args)
    {
        var count = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 10_000;
        var callers = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 8;
        var storage = Directory.CreateTempSubdirectory("omem-facts-bench-");
        var silo = BenchSilo.Create("--OrleansMemory:Storage:Type=file", $"--OrleansMemory:Storage:BaseDirectory={storage.FullName}");
        await silo.StartAsync();
        try
        {
            var address = BenchSilo.Address(silo);
            using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 64 }) { BaseAddress = address };
            long textBytes = 0, idBytes = 0, created = 0;
            var next = -1;
            var cpu0 = AddBench.Cpu();
            var start = Stopwatch.GetTimestamp();
            await Task.WhenAll(Enumerable.Range(0, callers).Select(_ => Task.Run(async () =>
            {
                int i;
                while ((i = Interlocked.Increment(ref next)) < count)
                {
                    var text = Facts.Get(i);
                    using var response = await http.PostAsJsonAsync("/v1/users/facts/memories", new { text });
                    response.EnsureSuccessStatusCode();
                    using var json = JsonDocument.Parse(await response.Content.ReadAsByteArrayAsync());
                    if ((int)response.StatusCode == 201)
                    {
                        var memory = json.RootElement.TryGetProperty("memory", out var m) ? m : json.RootElement;
                        Interlocked.Add(ref textBytes, Encoding.UTF8.GetByteCount(text));
                        Interlocked.Add(ref idBytes, Encoding.UTF8.GetByteCount(memory.GetProperty("id").GetString()!));
                        Interlocked.Increment(ref created);
                    }
                }
            })));
            var seconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
            var cpu = AddBench.Cpu() - cpu0;
            var stats = await silo.Services.GetRequiredService<IGrainFactory>().GetGrain<IUserGrain>("default/facts").GetStatsAsync();
            var raw = textBytes + idBytes + (created * 384 * 4);
            var files = storage.EnumerateFiles("*", SearchOption.AllDirectories).ToList();
            var disk = files.Sum(f => f.Length);
            var backups = files.Where(f => f.FullName.Contains("/.backups/", StringComparison.Ordinal)).ToList();
            var byKind = files.Where(f => !f.FullName.Contains("/.backups/", StringComparison.Ordinal))
                .GroupBy(f => f.Name.Split(new[] { "%2F", "." }, StringSplitOptions.None)[0]).OrderByDescending(g => g.Sum(f => f.Length));
            Console.WriteLine($"{count} templated facts, {callers} callers, one user, file storage, defaults, local model (load average {AddBench.Load()}):");
            Console.WriteLine($"  {count / seconds:F0} adds/s, CPU {cpu / count:F2} ms per add; user: {stats.MemoryCount} memories ({created} created, " +
                $"{count - created} merged as duplicates), {stats.PendingConflicts} pending conflicts, {stats.ResolvedConflicts} resolved, {stats.ArchivedCount} archived");
            Console.WriteLine($"  disk {disk / 1048576.0:F2} MiB in {files.Count} files; raw {raw / 1048576.0:F2} MiB (text {textBytes / 1048576.0:F2}, " +
                $"float32 vectors {created * 1536 / 1048576.0:F2}, ids {idBytes / 1048576.0:F2}); disk / raw {(double)disk / raw:F2} (target <= 2)");
            GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
            Console.WriteLine($"  silo process (this process: silo, model, the user active, the HTTP callers): RSS {Status("VmRSS"):F0} MiB, " +
                $"peak {Status("VmHWM"):F0} MiB, managed heap {GC.GetTotalMemory(false) / 1048576.0:F0} MiB (MALLOC_ARENA_MAX={Environment.GetEnvironmentVariable("MALLOC_ARENA_MAX") ?? "unset"})");
            Console.WriteLine($"  backups {backups.Sum(f => f.Length) / 1048576.0:F2} MiB in {backups.Count} files; by record kind: " +
                string.Join(", ", byKind.Select(g => $"{g.Key} {g.Sum(f => f.Length) / 1048576.0:F2} MiB ({g.Count()})")));
        }
        finally
        {
            await silo.StopAsync();
            await silo.DisposeAsync();
            storage.Delete(recursive: true);
        }
    }

    /// <summary>A figure of /proc/self/status in MiB (VmRSS, VmHWM).</summary>
    private static double Status(string key) =>
        File.ReadLines("/proc/self/status").Where(l => l.StartsWith(key + ":", StringComparison.Ordinal))
            .Select(l => double.Parse(l.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024).First();
}
