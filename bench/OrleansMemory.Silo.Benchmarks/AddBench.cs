using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using OrleansMemory.Embeddings.Local;

/// <summary>Issue 24 item 1 and 2: where the time and CPU of one add go. One silo in this process as the executable
/// composes it (file storage in a temporary directory, defaults, the local model, HTTP on Kestrel over loopback), text-only
/// adds of templated facts to one user over HTTP, and beside them in the same run, alternating rounds: the encoder's
/// single-text embed, one durable write of a memory's size (write and fsync of a file), and an HTTP round trip to an empty
/// endpoint on the same Kestrel. The parts of an add come from the product's spans and operation histogram
/// (<see cref="SpanTally"/>). Then 8 callers add concurrently to the same user.</summary>
internal static class AddBench
{
    /// <summary>Bytes of one memory as a page stores it (about: text, base64 of 384 float32, id, type, times).</summary>
    private const int RecordBytes = 2300;

    public static async Task RunAsync(string[] args)
    {
        var perRound = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 150;
        var rounds = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 3;
        var storage = Directory.CreateTempSubdirectory("omem-add-bench-");
        var silo = BenchSilo.Create("--OrleansMemory:Storage:Type=file", $"--OrleansMemory:Storage:BaseDirectory={storage.FullName}");
        silo.MapPost("/bench/empty", () => Results.NoContent()).AllowAnonymous();
        await silo.StartAsync();
        using var tally = new SpanTally();
        try
        {
            var address = BenchSilo.Address(silo);
            using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 64 }) { BaseAddress = address };
            var generator = new MiniLmEmbeddingGenerator();
            var floorFile = Path.Combine(storage.FullName, "floor.json");
            var record = new byte[RecordBytes];
            Random.Shared.NextBytes(record);
            var next = 0;
            async Task Add()
            {
                using var response = await http.PostAsJsonAsync("/v1/users/adder/memories", new { text = Facts.Get(Interlocked.Increment(ref next) - 1) }); // 8 callers at once: each fact once
                response.EnsureSuccessStatusCode();
                await response.Content.ReadAsByteArrayAsync();
            }

            async Task Empty()
            {
                using var response = await http.PostAsJsonAsync("/bench/empty", new { text = Facts.Get(next) });
                response.EnsureSuccessStatusCode();
                await response.Content.ReadAsByteArrayAsync();
            }

            var e = 0;
            Task Embed()
            {
                generator.Encode([Facts.Get(e++)]);
                return Task.CompletedTask;
            }

            async Task Write()
            {
                await using (var stream = new FileStream(floorFile, FileMode.Create, FileAccess.Write, FileShare.None, 4096, FileOptions.Asynchronous))
                {
                    await stream.WriteAsync(record);
                    stream.Flush(flushToDisk: true);
                }
            }

            var siloGenerator = silo.Services.GetRequiredService<IEmbeddingGenerator<string, Embedding<float>>>();
            var g = 0;
            async Task SiloEmbed() => await siloGenerator.GenerateVectorAsync(Facts.Get(g++));

            for (var w = 0; w < 30; w++)
            {
                await Add();
                await Empty();
                await Embed();
                await Write();
                await SiloEmbed();
            }

            Console.WriteLine($"adds through HTTP, one silo in this process (file storage, defaults, local model); {rounds} rounds of {perRound} " +
                $"sequential calls per case, alternating; load average {Load()}; {Environment.ProcessorCount} cores");
            var sums = new Dictionary<string, (double Ms, double Cpu, int N)>();
            var parts = new Dictionary<string, (long Count, double Ms)>();
            var adds = 0;
            for (var round = 0; round < rounds; round++)
            {
                foreach (var (name, call) in new (string, Func<Task>)[] { ("add (HTTP POST /v1/users/{id}/memories)", Add), ("floor: encoder, one text", Embed),
                    ("floor: durable write, 2,300 bytes + fsync", Write), ("floor: empty HTTP POST, same Kestrel", Empty),
                    ("(not a floor) the silo's generator, one text: batching queue and span around the encoder", SiloEmbed) })
                {
                    tally.Reset();
                    var (ms, cpu) = await TimeAsync(call, perRound);
                    var s = sums.GetValueOrDefault(name);
                    sums[name] = (s.Ms + ms, s.Cpu + cpu, s.N + 1);
                    if (name.StartsWith("add", StringComparison.Ordinal))
                    {
                        adds += perRound;
                        foreach (var (k, v) in tally.Snapshot())
                        {
                            var p = parts.GetValueOrDefault(k);
                            parts[k] = (p.Count + v.Count, p.Ms + v.Ms);
                        }
                    }
                }
            }

            Console.WriteLine();
            Console.WriteLine("| case | ms per call (mean) | CPU ms per call |");
            Console.WriteLine("|---|---:|---:|");
            foreach (var (name, s) in sums)
            {
                Console.WriteLine($"| {name} | {s.Ms / s.N:F2} | {s.Cpu / s.N:F2} |");
            }

            var add = sums.First().Value;
            var floors = sums.Skip(1).Take(3).Select(x => x.Value).ToList();
            var floorMs = floors.Sum(f => f.Ms / f.N);
            var floorCpu = floors[0].Cpu / floors[0].N + floors[1].Cpu / floors[1].N;
            Console.WriteLine($"add / (embed + write + empty HTTP): {add.Ms / add.N / floorMs:F2} (target <= 1.5); " +
                $"CPU per add / (embed CPU + write CPU): {add.Cpu / add.N / floorCpu:F2} (target <= 1.5)");
            Console.WriteLine();
            Console.WriteLine($"Parts of one add (from the product's spans and operation histogram; {adds} adds, the user grew to {next} memories):");
            Console.WriteLine("| part | per add | ms per add | ms each |");
            Console.WriteLine("|---|---:|---:|---:|");
            foreach (var (k, v) in parts.OrderBy(p => p.Key, StringComparer.Ordinal))
            {
                Console.WriteLine($"| {k} | {(double)v.Count / adds:F2} | {v.Ms / adds:F2} | {v.Ms / v.Count:F2} |");
            }

            Console.WriteLine();
            var textOnly = await CallersAsync("text only (the silo embeds)", Add, perRound, tally);

            // The same with vectors the callers send: no model, so what remains is HTTP, the grain and the disk, where
            // adds that wait for each other share one write per record (group commit).
            var random = new Random(5);
            var nextVector = 0;
            async Task AddVector()
            {
                var vector = new float[384];
                for (var i = 0; i < vector.Length; i++)
                {
                    vector[i] = (float)((random.NextDouble() * 2) - 1);
                }

                using var response = await http.PostAsJsonAsync("/v1/users/vector-adder/memories", new { text = Facts.Get(Interlocked.Increment(ref nextVector) - 1), embedding = vector });
                response.EnsureSuccessStatusCode();
                await response.Content.ReadAsByteArrayAsync();
            }

            for (var w = 0; w < 30; w++)
            {
                await AddVector();
            }

            var withVectors = await CallersAsync("with the callers' vectors", AddVector, perRound * 4, tally);
            PrintCeiling(textOnly, withVectors);
            Console.WriteLine($"storage: {DirectorySize(storage) / 1048576.0:F1} MiB on disk for {next} adds (load average {Load()})");
        }
        finally
        {
            await silo.StopAsync();
            await silo.DisposeAsync();
            storage.Delete(recursive: true);
        }
    }

    /// <summary>What the model's own cost allows 8 text-only callers on this machine's cores, even if the rest of an add
    /// were as cheap as with the callers' vectors and every run of the model as cheap as its cheapest batch: the cores'
    /// time divided by the model's CPU per fact text at its best (batches of 4 and 8 on the process's encoder and on a
    /// one-thread session) plus the CPU per add of 8 callers that send their vectors, against the single caller's rate.</summary>
    private static void PrintCeiling(CallerRates textOnly, CallerRates withVectors)
    {
        using var oneThread = new MiniLmEncoder(MiniLmSessionOptions.Default with { IntraOpThreads = 1 });
        var best = double.MaxValue;
        var f = 0;
        foreach (var (encoder, label) in new[] { (MiniLmModel.Encoder, "the process's encoder (2 threads)"), (oneThread, "a one-thread session") })
        {
            foreach (var batch in new[] { 4, 8 })
            {
                string[] Texts() => [.. Enumerable.Range(0, batch).Select(_ => Facts.Get(f++))];
                encoder.Encode(Texts());
                var cpu0 = Cpu();
                var texts = 0;
                var start = Stopwatch.GetTimestamp();
                while (Stopwatch.GetElapsedTime(start).TotalSeconds < 2)
                {
                    texts += encoder.Encode(Texts()).Length;
                }

                var perText = (Cpu() - cpu0) / texts;
                best = Math.Min(best, perText);
                Console.WriteLine($"model CPU per fact text, batches of {batch} on {label}: {perText:F2} ms");
            }
        }

        var cores = Environment.ProcessorCount;
        var ceiling = cores * 1000 / (best + withVectors.EightCpuPerAdd);
        Console.WriteLine($"ceiling for 8 text-only callers on {cores} cores: {cores} x 1000 / ({best:F2} ms of model + {withVectors.EightCpuPerAdd:F2} ms " +
            $"of the rest of an add) = {ceiling:F0} adds/s, {ceiling / textOnly.Single:F2}x the single caller's {textOnly.Single:F0} " +
            $"(measured: {textOnly.Eight:F0} adds/s, {textOnly.Eight / textOnly.Single:F2}x; the 3x target needs a ceiling of 3x or more)");
    }

    /// <summary>1 and 8 callers alternately, twice: each 8-caller rate against the single caller measured just before it.</summary>
    private static async Task<CallerRates> CallersAsync(string name, Func<Task> add, int perRound, SpanTally tally)
    {
        var rates = new Dictionary<int, List<double>> { [1] = [], [8] = [] };
        var eightCpu = new List<double>();
        foreach (var callers in new[] { 1, 8, 1, 8 })
        {
            var total = callers == 1 ? perRound : 4 * perRound;
            var cpu0 = Cpu();
            var batches0 = tally.ModelBatches;
            var start = Stopwatch.GetTimestamp();
            var left = total;
            await Task.WhenAll(Enumerable.Range(0, callers).Select(_ => Task.Run(async () =>
            {
                while (Interlocked.Decrement(ref left) >= 0)
                {
                    await add();
                }
            })));
            var seconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
            rates[callers].Add(total / seconds);
            var cpuPerAdd = (Cpu() - cpu0) / total;
            if (callers == 8)
            {
                eightCpu.Add(cpuPerAdd);
            }

            var batches = tally.ModelBatches;
            var perBatch = batches.Batches > batches0.Batches ? $", {(double)(batches.Texts - batches0.Texts) / (batches.Batches - batches0.Batches):F1} texts per model batch" : "";
            Console.WriteLine($"{name}, {callers} caller(s): {total / seconds:F0} adds/s, CPU {cpuPerAdd:F2} ms per add{perBatch}" +
                (callers > 1 ? $"; {total / seconds / rates[1][^1]:F2}x the single caller's rate just before" : ""));
        }

        Console.WriteLine($"{name}: 8 callers / 1 caller, mean of two pairs: {rates[8].Average() / rates[1].Average():F2} (target >= 3)");
        return new CallerRates(rates[1].Average(), rates[8].Average(), eightCpu.Average());
    }

    /// <summary>Mean adds/s of the single-caller and 8-caller phases, and the 8 callers' CPU ms per add.</summary>
    private sealed record CallerRates(double Single, double Eight, double EightCpuPerAdd);

    private static async Task<(double Ms, double Cpu)> TimeAsync(Func<Task> call, int count)
    {
        var cpu = Cpu();
        var start = Stopwatch.GetTimestamp();
        for (var i = 0; i < count; i++)
        {
            await call();
        }

        return (Stopwatch.GetElapsedTime(start).TotalMilliseconds / count, (Cpu() - cpu) / count);
    }

    internal static double Cpu()
    {
        using var process = Process.GetCurrentProcess();
        return process.TotalProcessorTime.TotalMilliseconds;
    }

    internal static string Load() => File.ReadAllText("/proc/loadavg").Split(' ')[0];

    internal static long DirectorySize(DirectoryInfo directory) =>
        directory.EnumerateFiles("*", SearchOption.AllDirectories).Sum(f => f.Length);
}
