using OrleansMemory.Grains.Benchmarks;

// dotnet run -c Release --project bench/OrleansMemory.Grains.Benchmarks [-- --quick] [search] [activation] [similar] [writes] [hot] [bystanders] [append] [formation] [formation-latency] [formation-backlog]
// [--dims=384,1536] [--stores=file,postgres] [--page-bytes=N] (activation; --stores=memory,file also narrows hot)
// [--cases=64x1@50,64x4] (hot: searchers x writers @ adds/s each; default all) [--rounds=N] (bystanders: rounds of both phases; default 4, 1 with --quick)
// [--compare-yield] (bystanders, hot: also with search threads that do not yield between searches, in the same run)
// One silo per part in this process. Activation also runs on PostgreSQL when ORLEANSMEMORY_TEST_POSTGRES is set
// (scripts/test-servers.sh); it creates and drops its own schema.
var quick = args.Contains("--quick");
// --compare-yield: bystanders and hot also run with search threads that do not yield between searches (same process).
var compareYield = args.Contains("--compare-yield");
var parts = args.Where(a => !a.StartsWith("--", StringComparison.Ordinal)).ToHashSet(StringComparer.OrdinalIgnoreCase);
bool Part(string name) => parts.Count == 0 || parts.Contains(name);
// --dims=384,1536 and --stores=file,postgres narrow the activation part; null when not given.
bool? Only(string option, string value) => args.FirstOrDefault(a => a.StartsWith(option + "=", StringComparison.Ordinal)) is { } given
    ? given[(option.Length + 1)..].Split(',').Contains(value, StringComparer.OrdinalIgnoreCase)
    : null;
var work = Directory.CreateTempSubdirectory("omem-grains-bench-").FullName;
var fileUri = $"file:{work}?backups=false&pretty=false";
var postgres = Environment.GetEnvironmentVariable("ORLEANSMEMORY_TEST_POSTGRES") is { Length: > 0 } pg ? pg : null;
var schema = "omem_gbench_" + Guid.NewGuid().ToString("N")[..8];

Console.WriteLine($"{Environment.ProcessorCount} cores, {System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription}, " +
    $"AVX-512BW {System.Runtime.Intrinsics.X86.Avx512BW.IsSupported}, AVX2 {System.Runtime.Intrinsics.X86.Avx2.IsSupported}, " +
    $"load average {LoadAverage()}, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC");
try
{
    if (Part("search"))
    {
        Console.WriteLine();
        Console.WriteLine("Search (memory storage; top 10):");
        Console.WriteLine(SearchBenchmark.Header);
        await using var silo = await BenchSilo.StartAsync(null);
        (int, int)[] sizes = quick ? [(10_000, 384), (100_000, 384)] : [(10_000, 384), (10_000, 1536), (100_000, 384), (100_000, 1536)];
        foreach (var (count, dimension) in sizes)
        {
            Console.WriteLine(await SearchBenchmark.RunAsync(silo.Grains, count, dimension, TimeSpan.FromSeconds(quick ? 0.5 : 2)));
            GC.Collect();
        }
    }

    if (Part("activation"))
    {
        // --page-bytes=N: memory pages of the written users hold what fits in N bytes (Grains:MemoryPageBytes).
        int? pageBytes = args.FirstOrDefault(a => a.StartsWith("--page-bytes=", StringComparison.Ordinal)) is { } given
            ? int.Parse(given["--page-bytes=".Length..], System.Globalization.CultureInfo.InvariantCulture)
            : null;
        Console.WriteLine();
        Console.WriteLine($"Activation (first search after a silo restart; load average {LoadAverage()}):");
        Console.WriteLine(ActivationBenchmark.Header);
        var stores = new List<(string Name, string Uri)> { ("file", fileUri) };
        if (postgres is not null)
        {
            stores.Add(("postgres", $"postgres:{postgres}?schema={schema}"));
        }

        foreach (var (name, uri) in stores)
        {
            foreach (var (dimension, target) in quick ? [(384, 2.0)] : new[] { (384, 2.0), (1536, 6.0) })
            {
                if (Only("--dims", dimension.ToString(System.Globalization.CultureInfo.InvariantCulture)) is false || Only("--stores", name) is false)
                {
                    continue;
                }

                Console.WriteLine(await ActivationBenchmark.RunAsync(name, uri, name == "file" ? work : null,
                    name == "postgres" ? $"{postgres};Search Path={schema}" : null, 100_000, dimension, target, pageBytes));
                GC.Collect();
            }
        }
    }

    if (Part("similar"))
    {
        Console.WriteLine();
        Console.WriteLine($"Duplicate and conflict check of an add, matrix only (load average {LoadAverage()}):");
        Console.WriteLine(SimilarBenchmark.Header);
        foreach (var dimension in quick ? [384] : new[] { 384, 1536 })
        {
            foreach (var data in new[] { "random", "embedding-like" })
            {
                foreach (var (duplicate, conflict) in new[] { (0.95, 0.8), (0.84, 0.55) })
                {
                    Console.WriteLine(SimilarBenchmark.Run(data, 100_000, dimension, duplicate, conflict, quick ? 200 : 1000));
                }
            }

            GC.Collect();
        }
    }

    if (Part("writes"))
    {
        Console.WriteLine();
        Console.WriteLine($"Writes (load average {LoadAverage()}):");
        Console.WriteLine(WriteBenchmark.Header);
        var clears = new List<string>();
        foreach (var (name, uri) in new[] { ("memory", (string?)null), ("file", fileUri) })
        {
            await using var silo = await BenchSilo.StartAsync(uri);
            foreach (var dimension in quick ? [384] : new[] { 384, 1536 })
            {
                var (add, clear) = await WriteBenchmark.RunAsync(silo.Grains, name, 100_000, dimension, quick ? 50 : 200, uri is null ? null : work);
                Console.WriteLine(add);
                clears.Add(clear);
                GC.Collect();
            }
        }

        Console.WriteLine();
        Console.WriteLine($"Erasing a user (DeleteAllDataAsync; load average {LoadAverage()}):");
        Console.WriteLine(WriteBenchmark.ClearHeader);
        clears.ForEach(Console.WriteLine);
    }

    if (Part("hot"))
    {
        Console.WriteLine();
        Console.WriteLine($"Hot user: 10,000 x 384, closed-loop callers (load average {LoadAverage()}):");
        Console.WriteLine(HotUserBenchmark.Header);
        var cases = args.FirstOrDefault(a => a.StartsWith("--cases=", StringComparison.Ordinal)) is { } listed
            ? HotUserBenchmark.ParseCases(listed["--cases=".Length..])
            : HotUserBenchmark.AllCases;
        foreach (var (name, uri) in new[] { ("memory", (string?)null), ("file", fileUri) })
        {
            if (Only("--stores", name) is false)
            {
                continue;
            }

            await using var silo = await BenchSilo.StartAsync(uri);
            Console.WriteLine(await HotUserBenchmark.RunAsync(silo.Grains, name, TimeSpan.FromSeconds(quick ? 2 : 5), cases));
            if (compareYield)
            {
                OrleansMemory.VectorIndex.SearchThreads.YieldBetweenSearches = false;
                Console.WriteLine(await HotUserBenchmark.RunAsync(silo.Grains, name + ", searches not yielding", TimeSpan.FromSeconds(quick ? 2 : 5), cases));
                OrleansMemory.VectorIndex.SearchThreads.YieldBetweenSearches = true;
            }
        }
    }

    if (Part("bystanders"))
    {
        Console.WriteLine();
        Console.WriteLine($"Bystanders of a hot user: 64 closed-loop searchers on one 10,000 x 384 user (load average {LoadAverage()}):");
        Console.WriteLine(BystanderBenchmark.Header);
        var probes = new List<string>();
        foreach (var (name, uri) in new[] { ("memory", (string?)null), ("file", fileUri) })
        {
            if (Only("--stores", name) is false)
            {
                continue;
            }

            await using var silo = await BenchSilo.StartAsync(uri);
            var (rows, probed) = await BystanderBenchmark.RunAsync(silo.Grains, name, TimeSpan.FromSeconds(quick ? 2 : 5), rounds: Number("--rounds") ?? (quick ? 1 : 4), compareYield);
            Console.WriteLine(rows);
            probes.Add(probed);
        }

        Console.WriteLine();
        Console.WriteLine("Where the calls waited (thread pool probe every 5 ms; file provider spans):");
        probes.ForEach(Console.WriteLine);
    }

    if (Part("formation") || Part("formation-latency") || Part("formation-backlog"))
    {
        var llm = Environment.GetEnvironmentVariable("OMEM_FORMATION_LLM_MODEL") is { Length: > 0 };
        await using var silo = await BenchSilo.StartAsync(fileUri, services: s => FormationBenchmark.AddServices(s, llm));
        if (!Part("formation-backlog")) // formation-backlog: only the backlog and quality parts
        {
            Console.WriteLine();
            Console.WriteLine($"Formation, file storage, MiniLM embeddings (load average {LoadAverage()}); append latency in ms, formation off vs on, same run:");
            Console.WriteLine("| calls | p50 off | p50 on | ratio | p99 off | p99 on | ratio | samples |");
            Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|---:|");
            await using var eager = await BenchSilo.StartAsync(fileUri, services: s =>
            {
                FormationBenchmark.AddServices(s, llm);
                Microsoft.Extensions.DependencyInjection.OptionsServiceCollectionExtensions.Configure<OrleansMemory.Grains.MemoryGrainOptions>(s, o => o.Formation.YieldAboveCpuPercent = 100);
            });
            Console.WriteLine(await FormationBenchmark.AppendLatencyAsync([("never yielding", eager), ("yielding (default)", silo)],
                rounds: quick ? 1 : 3, appendsPerCaller: quick ? 50 : 150));
            await using var cheap = await BenchSilo.StartAsync(fileUri, services: s => FormationBenchmark.AddServices(s, llm, cheapEmbeddings: true));
            Console.WriteLine(await FormationBenchmark.AppendLatencyAsync([("yielding (default)", silo), ("word-hash embeddings", cheap)],
                rounds: quick ? 1 : 9, appendsPerCaller: quick ? 25 : 100, interval: TimeSpan.FromMilliseconds(50))); // 7,200 samples: a p99 of 2,400 swung 0.45-1.25 with nothing formed
        }

        if (!Part("formation") && !Part("formation-backlog"))
        {
            return;
        }

        Console.WriteLine();
        Console.WriteLine(await FormationBenchmark.BacklogAsync(silo.Grains, quick ? 2_000 : 10_000));
        Console.WriteLine();
        Console.WriteLine("| extractor | conversations | turns | precision | recall | tokens |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|");
        Console.WriteLine(await FormationBenchmark.QualityAsync(silo.Grains, "rules"));
        if (llm)
        {
            Console.WriteLine(await FormationBenchmark.QualityAsync(silo.Grains, "llm"));
        }
    }

    if (Part("append"))
    {
        Console.WriteLine();
        Console.WriteLine("| operation | p50 at 100 | p50 at 10,000 | ratio | p99 at 100 | p99 at 10,000 | samples |");
        Console.WriteLine("|---|---|---|---|---|---|---|");
        await using var silo = await BenchSilo.StartAsync(null);
        Console.WriteLine(await AppendBenchmark.RunAsync(silo.Grains, rounds: quick ? 2 : 5));
    }
}
finally
{
    Directory.Delete(work, recursive: true);
    if (postgres is not null)
    {
        await using var dataSource = Npgsql.NpgsqlDataSource.Create(postgres);
        await using var drop = dataSource.CreateCommand($"DROP SCHEMA IF EXISTS {schema} CASCADE");
        await drop.ExecuteNonQueryAsync();
    }
}

// --rounds=N and the like: an integer option, null when not given.
int? Number(string option) => args.FirstOrDefault(a => a.StartsWith(option + "=", StringComparison.Ordinal)) is { } given
    ? int.Parse(given[(option.Length + 1)..], System.Globalization.CultureInfo.InvariantCulture)
    : null;

static string LoadAverage() => File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "?";
