using System.Diagnostics;
using System.Globalization;
using Spectre.Console;

namespace OrleansMemory.Cli;

/// <summary>Shows how a migration advances: a progress bar with rate and time left on an interactive terminal, plain
/// lines (at most one every two seconds, and the last) otherwise, so logs and pipes stay readable.</summary>
internal static class MigrationProgress
{
    public static async Task<MigrationReport> RunAsync(IAnsiConsole console, string title, long total, Func<IProgress<long>, Task<MigrationReport>> run)
    {
        if (console.Profile.Capabilities.Interactive && console.Profile.Capabilities.Ansi)
        {
            MigrationReport? report = null;
            await console.Progress()
                .AutoClear(false)
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn(), new ElapsedTimeColumn())
                .StartAsync(async context =>
                {
                    var task = context.AddTask(title, maxValue: Math.Max(1, total));
                    var start = Stopwatch.GetTimestamp();
                    report = await run(new Progress<long>(done =>
                    {
                        task.Value = done;
                        var seconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
                        task.Description = string.Create(CultureInfo.InvariantCulture, $"{title} ({(seconds > 0 ? done / seconds : 0):N0} records/s)");
                    })).ConfigureAwait(false);
                    task.Value = task.MaxValue;
                }).ConfigureAwait(false);
            return report!;
        }

        var lines = new PlainLines(console, title, total);
        var result = await run(lines).ConfigureAwait(false);
        lines.Finish();
        return result;
    }

    private sealed class PlainLines(IAnsiConsole console, string title, long total) : IProgress<long>
    {
        private readonly Lock _gate = new();
        private readonly long _start = Stopwatch.GetTimestamp();
        private TimeSpan? _lastLine;
        private long _done;

        public void Report(long value)
        {
            lock (_gate)
            {
                _done = Math.Max(_done, value);
                var elapsed = Stopwatch.GetElapsedTime(_start);
                if (_lastLine is not { } last || elapsed - last >= TimeSpan.FromSeconds(2))
                {
                    _lastLine = elapsed;
                    Write(elapsed);
                }
            }
        }

        public void Finish()
        {
            lock (_gate)
            {
                Write(Stopwatch.GetElapsedTime(_start));
            }
        }

        private void Write(TimeSpan elapsed)
        {
            var rate = elapsed.TotalSeconds > 0 ? _done / elapsed.TotalSeconds : 0;
            var eta = rate > 0 && total > _done ? TimeSpan.FromSeconds((total - _done) / rate).ToString(@"hh\:mm\:ss", CultureInfo.InvariantCulture) : "00:00:00";
            console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{title}: {_done:N0}/{total:N0} records, {rate:N0} records/s, ETA {eta}"));
        }
    }
}
