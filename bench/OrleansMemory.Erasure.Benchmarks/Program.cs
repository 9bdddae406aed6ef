using System.Globalization;
using OrleansMemory.Cluster.Tests;

// Usage: OrleansMemory.Erasure.Benchmarks [memories]   (default 20,000)
// A user with that many imported memories on file storage; DELETE /v1/users/{id} uninterrupted (the baseline), then
// SIGKILL at five points after the erasure was marked, each followed by a restart with no call to the user, timing
// how long until no file in the storage directory holds the user's text.
var memories = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 20_000;
Console.WriteLine($"Erasure cut by SIGKILL, file storage, {memories:N0} memories; load average {File.ReadAllText("/proc/loadavg").Split(' ')[0]}");
using var run = new ErasureCrashRun(memories, Console.WriteLine);
await run.SeedAsync();
var took = await run.UninterruptedAsync();
var results = new List<ErasureKillResult>();
foreach (var fraction in new[] { 0.0, 0.1, 0.2, 0.3, 0.5 })
{
    results.Add(await run.KillAsync(took * fraction, string.Create(CultureInfo.InvariantCulture, $"kill-at-{fraction:F1}")));
}

Console.WriteLine();
Console.WriteLine($"baseline: uninterrupted DELETE {took.TotalSeconds:F2} s");
foreach (var r in results)
{
    Console.WriteLine(r.CleanAfter is { } clean
        ? string.Create(CultureInfo.InvariantCulture, $"killed {r.KilledAfter.TotalSeconds:F2} s in ({r.FilesWithTextAtKill} files with text): clean {clean.TotalSeconds:F1} s after the restart (ready {r.ReadyAfter.TotalSeconds:F1} s), {clean / took:F1}x the uninterrupted erasure")
        : $"killed {r.KilledAfter.TotalSeconds:F2} s in: TEXT STILL STORED {ErasureCrashRun.Limit.TotalSeconds} s after the restart");
}

return results.All(r => r.CleanAfter is not null) ? 0 : 1;
