using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace OrleansMemory.Cluster.Tests;

/// <summary>What happened at one kill point of <see cref="ErasureCrashRun"/>.</summary>
/// <param name="KilledAfter">How long after the <c>DELETE</c> was sent the silo was killed (a chosen time after the
/// erasure was marked on the user's profile).</param>
/// <param name="FilesWithTextAtKill">Files still holding the user's text right after the kill (0: the erasure had
/// finished before it).</param>
/// <param name="ReadyAfter">From the restarted process's start to its readiness (<c>/health/ready</c>).</param>
/// <param name="CleanAfter">From the restarted process's start until no file held the text; null if some still did
/// after the limit.</param>
public sealed record ErasureKillResult(TimeSpan KilledAfter, int FilesWithTextAtKill, TimeSpan ReadyAfter, TimeSpan? CleanAfter)
{
    public override string ToString()
    {
        var clean = CleanAfter is { } after
            ? string.Create(CultureInfo.InvariantCulture, $"no file held the text {after.TotalSeconds:F1} s after the restart")
            : "TEXT STILL STORED at the limit";
        return string.Create(CultureInfo.InvariantCulture,
            $"killed {KilledAfter.TotalMilliseconds,6:F0} ms into the DELETE, {FilesWithTextAtKill,4} files held the text; restarted silo ready in {ReadyAfter.TotalSeconds:F1} s, {clean}");
    }
}

/// <summary>An erasure cut by SIGKILL finishes by itself: a user with <paramref name="memories"/> imported memories
/// (each text marked) on file storage, a silo process killed at a chosen time into <c>DELETE /v1/users/{id}</c>, then
/// restarted on the same directory with no call to that user, while its storage directory is scanned for the marker.
/// Shared by the process test and the erasure benchmark.</summary>
/// <param name="memories">How many memories the user has.</param>
/// <param name="log">Where progress goes.</param>
public sealed partial class ErasureCrashRun(int memories, Action<string> log) : IDisposable
{
    private const string User = "erased-user";
    private readonly string _marker = "ErasedText" + Guid.NewGuid().ToString("N")[..10];
    private readonly string _root = Directory.CreateTempSubdirectory("omem-erasure-crash-").FullName;
    private string? _template;

    /// <summary>How long a restarted silo may take to clean up.</summary>
    public static TimeSpan Limit { get; } = TimeSpan.FromSeconds(30);

    /// <summary>Seeds the user once (imports of 1,000 with caller embeddings) into a template directory the kill points copy.</summary>
    public async Task SeedAsync()
    {
        _template = Path.Combine(_root, "template");
        Directory.CreateDirectory(_template);
        var clock = Stopwatch.StartNew();
        await using (var silo = await StartAsync(_template, "seed"))
        {
            using var http = Client(silo);
            for (var start = 0; start < memories; start += 1000)
            {
                var body = new StringBuilder("{\"memories\":[");
                for (var i = start; i < Math.Min(memories, start + 1000); i++)
                {
                    body.Append(i == start ? "" : ",").Append("{\"text\":\"").Append(_marker).Append(" remembers fact ").Append(i)
                        .Append("\",\"embedding\":[").Append(string.Join(',', Enumerable.Range(0, 8).Select(d => ((i * 31 + d * 7) % 97 / 97.0 + 0.01).ToString("F3", CultureInfo.InvariantCulture))))
                        .Append("]}");
                }

                using var response = await http.PostAsync($"/v1/users/{User}/memories/import", new StringContent(body.Append("]}").ToString(), Encoding.UTF8, "application/json"));
                Check(response.IsSuccessStatusCode, $"import answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
            }

            // History and a conflict that quote the text, as a real user's records do.
            using var added = await http.PostAsync($"/v1/users/{User}/memories",
                new StringContent($$"""{"text":"{{_marker}} lives in Paris","embedding":[1,0,0,0,0,0,0,0]}""", Encoding.UTF8, "application/json"));
            using var second = await http.PostAsync($"/v1/users/{User}/memories",
                new StringContent($$"""{"text":"{{_marker}} lives in Rome","embedding":[0.85,0.5,0,0,0,0,0,0]}""", Encoding.UTF8, "application/json"));
            Check(added.IsSuccessStatusCode && second.IsSuccessStatusCode, "adds failed");
        } // killed: every write above was acknowledged, so it is on disk

        log($"seeded {memories} memories in {clock.Elapsed.TotalSeconds:F1} s; {FilesWithText(_template)} files hold the text");
    }

    /// <summary>The baseline: the same erasure uninterrupted (the user active first, as at the kill points); the time the
    /// <c>DELETE</c> took.</summary>
    public async Task<TimeSpan> UninterruptedAsync()
    {
        var directory = Copy("baseline");
        await using var silo = await StartAsync(directory, "baseline");
        using var http = Client(silo);
        await ActivateAsync(http);
        var clock = Stopwatch.StartNew();
        using var response = await http.DeleteAsync($"/v1/users/{User}");
        var took = clock.Elapsed;
        Check(response.IsSuccessStatusCode, $"DELETE answered {(int)response.StatusCode}");
        var left = FilesWithText(directory);
        Check(left == 0, $"{left} files hold the text after an acknowledged erasure");
        log($"baseline: DELETE of {memories} memories took {took.TotalMilliseconds:F0} ms uninterrupted; no file holds the text");
        return took;
    }

    /// <summary>Kills the silo <paramref name="delay"/> after the erasure was marked on the user's profile (before it,
    /// nothing was erased and the unacknowledged <c>DELETE</c> leaves the user as it was), restarts it and waits (up to
    /// <see cref="Limit"/>) until no file holds the text, calling nothing of the user.</summary>
    public async Task<ErasureKillResult> KillAsync(TimeSpan delay, string name)
    {
        for (var attempt = 1; ; attempt++)
        {
            if (await TryKillAsync(delay, $"{name}-{attempt}") is { } result)
            {
                return result;
            }

            Check(attempt < 3, $"{name}: the erasure finished before the kill three times");
        }
    }

    private async Task<ErasureKillResult?> TryKillAsync(TimeSpan delay, string name)
    {
        var directory = Copy(name);
        TimeSpan killedAfter;
        await using (var silo = await StartAsync(directory, name))
        {
            using var http = Client(silo);
            await ActivateAsync(http);
            var clock = Stopwatch.StartNew();
            var erase = http.DeleteAsync($"/v1/users/{User}");
            if (!await WaitMarkedAsync(directory, erase))
            {
                log($"{name}: the erasure finished before the mark was seen; again");
                return null;
            }

            await Task.Delay(delay);
            silo.Kill();
            killedAfter = clock.Elapsed;
            try
            {
                (await erase).Dispose();
            }
            catch (HttpRequestException)
            {
                // The connection died with the process: the erasure was not acknowledged.
            }
        }

        var atKill = FilesWithText(directory);

        var restarted = await StartAsync(directory, name + "-restarted", waitReady: false);
        await using (restarted)
        {
            // Scanned from the process's start: the erasure may finish before the silo reports ready.
            var clock = Stopwatch.StartNew();
            var readyAt = restarted.WaitReadyAsync(TimeSpan.FromSeconds(30)).ContinueWith(t => (t.Exception, clock.Elapsed), TaskScheduler.Default);
            TimeSpan? clean = null;
            while (clock.Elapsed < Limit)
            {
                if (FilesWithText(directory) == 0)
                {
                    clean = clock.Elapsed;
                    break;
                }

                await Task.Delay(50);
            }

            var (failed, ready) = await readyAt;
            Check(failed is null, $"the restarted silo never got ready: {failed}");
            var result = new ErasureKillResult(killedAfter, atKill, ready, clean);
            log($"{name}: {result}");
            if (clean is null)
            {
                log(restarted.Log);
            }

            return result;
        }
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
            // A file still open by a dying process: the temporary directory stays.
        }
    }

    /// <summary>Files under <paramref name="directory"/> whose bytes hold the marker (a file that vanishes while it is
    /// looked at, a replaced record's temporary file, holds nothing; one that cannot be read counts as holding it).</summary>
    public int FilesWithText(string directory)
    {
        var marker = Encoding.UTF8.GetBytes(_marker);
        var count = 0;
        foreach (var file in Files(directory))
        {
            try
            {
                if (File.ReadAllBytes(file).AsSpan().IndexOf(marker) >= 0)
                {
                    count++;
                }
            }
            catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
            {
                // Removed since it was listed.
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                count++;
            }
        }

        return count;
    }

    /// <summary>Every file under <paramref name="directory"/>, listed again if a directory vanishes during the listing
    /// (the file storage removes a grain's empty directory).</summary>
    private static List<string> Files(string directory)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                return Directory.EnumerateFiles(directory, "*", SearchOption.AllDirectories).ToList();
            }
            catch (DirectoryNotFoundException) when (attempt < 20)
            {
                // Listed while being removed: again.
            }
        }
    }

    /// <summary>Until the user's profile on disk carries the erasure mark (polled every millisecond or so). The mark is
    /// written after the pending-work record and before anything is erased; a crash before it leaves the user as it
    /// was (the <c>DELETE</c> was not acknowledged: its retry erases).</summary>
    private static async Task<bool> WaitMarkedAsync(string directory, Task erase)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(10) && !erase.IsCompleted)
        {
            foreach (var file in Files(directory).Where(f => f.Contains(User, StringComparison.Ordinal)))
            {
                try
                {
                    // The small records, the profile among them.
                    if (new FileInfo(file).Length < 16_384 && ErasingMark().IsMatch(File.ReadAllText(file)))
                    {
                        return true;
                    }
                }
                catch (IOException)
                {
                    // Being replaced or removed: look again.
                }
            }

            await Task.Delay(1);
        }

        Check(erase.IsCompleted, "the erasure was not marked on the user's profile within 10 s");
        return false; // the erasure finished between two looks
    }

    [System.Text.RegularExpressions.GeneratedRegex("\"erasing\"\\s*:\\s*true", System.Text.RegularExpressions.RegexOptions.IgnoreCase)]
    private static partial System.Text.RegularExpressions.Regex ErasingMark();

    private static async Task ActivateAsync(HttpClient http)
    {
        using var stats = await http.GetAsync($"/v1/users/{User}/stats");
        Check(stats.IsSuccessStatusCode, $"stats answered {(int)stats.StatusCode}");
    }

    private string Copy(string name)
    {
        var target = Path.Combine(_root, name);
        foreach (var file in Directory.EnumerateFiles(_template!, "*", SearchOption.AllDirectories))
        {
            var to = Path.Combine(target, Path.GetRelativePath(_template!, file));
            Directory.CreateDirectory(Path.GetDirectoryName(to)!);
            File.Copy(file, to);
        }

        return target;
    }

    private static async Task<SiloProcess> StartAsync(string directory, string name, bool waitReady = true)
    {
        var settings = new Dictionary<string, string>
        {
            ["OrleansMemory:Storage:Type"] = "file",
            ["OrleansMemory:Storage:BaseDirectory"] = directory,
            ["OrleansMemory:Embeddings:Provider"] = "none",
            ["OrleansMemory:Grains:AutoResolveSingletonConflicts"] = "false",
            ["OrleansMemory:ShutdownTimeout"] = "00:00:10",
        };
        return waitReady ? await SiloProcess.StartReadyAsync(name, settings, TimeSpan.FromSeconds(60)) : SiloProcess.Start(name, settings);
    }

    private static HttpClient Client(SiloProcess silo) => new() { BaseAddress = silo.BaseAddress, Timeout = TimeSpan.FromMinutes(5) };

    private static void Check(bool condition, string message)
    {
        if (!condition)
        {
            throw new InvalidOperationException(message);
        }
    }
}
