using System.CommandLine;
using System.Globalization;
using Spectre.Console;

namespace OrleansMemory.Cli.Load;

/// <summary><c>omem load</c>: plays an agent workload against silos' HTTP APIs and prints throughput and latency percentiles.</summary>
public static class LoadCommand
{
    /// <summary>The command.</summary>
    public static Command Create(IAnsiConsole console)
    {
        var target = new Option<string>("--target") { Description = "Silo base URLs, comma separated (requests rotate over them).", DefaultValueFactory = _ => "http://127.0.0.1:5080" };
        var users = new Option<int>("--users") { Description = "Concurrent simulated users (each its own user, conversation and agent).", DefaultValueFactory = _ => 16 };
        var duration = new Option<string>("--duration") { Description = "How long to run: 60s, 2m, 500ms.", DefaultValueFactory = _ => "60s" };
        var mix = new Option<string>("--mix") { Description = "chat (messages, short-term, context), memory (add, search, list) or search (mostly search).", DefaultValueFactory = _ => "chat" };
        var apiKey = new Option<string?>("--api-key") { Description = "API key (sent as a bearer token)." };
        var dimension = new Option<int>("--dimension") { Description = "Embedding dimension.", DefaultValueFactory = _ => 64 };
        var command = new Command("load", "Play an agent workload against silos over HTTP; print throughput and p50/p95/p99 per operation.")
        {
            target, users, duration, mix, apiKey, dimension,
        };
        command.SetAction(async (result, ct) =>
        {
            if (!TryParseDuration(result.GetValue(duration)!, out var length))
            {
                console.MarkupLine("[red]--duration must look like 60s, 2m or 500ms.[/]");
                return OmemCli.Usage;
            }

            if (!LoadMix.TryParse(result.GetValue(mix)!, out var workload))
            {
                console.MarkupLine("[red]--mix must be chat, memory or search.[/]");
                return OmemCli.Usage;
            }

            var targets = result.GetValue(target)!.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Select(t => Uri.TryCreate(t.TrimEnd('/') + "/", UriKind.Absolute, out var uri) ? uri : null).ToList();
            if (targets.Count == 0 || targets.Any(t => t is null) || result.GetValue(users) < 1 || result.GetValue(dimension) is < 2 or > 4096)
            {
                console.MarkupLine("[red]--target needs absolute URLs, --users at least 1, --dimension 2-4096.[/]");
                return OmemCli.Usage;
            }

            var run = new LoadRun(targets!, result.GetValue(users), workload, result.GetValue(apiKey), result.GetValue(dimension));
            var report = await run.ExecuteAsync(console, length, ct).ConfigureAwait(false);
            Print(console, report, length);
            return report.Values.Sum(r => r.Errors) == 0 ? OmemCli.Success : OmemCli.Failed;
        });
        return command;
    }

    /// <summary>Parses 60s, 2m, 1h, 500ms or a TimeSpan.</summary>
    public static bool TryParseDuration(string text, out TimeSpan duration)
    {
        ArgumentNullException.ThrowIfNull(text);
        duration = default;
        var (number, scale) = text.EndsWith("ms", StringComparison.Ordinal) ? (text[..^2], 0.001)
            : text.EndsWith('s') ? (text[..^1], 1.0)
            : text.EndsWith('m') ? (text[..^1], 60.0)
            : text.EndsWith('h') ? (text[..^1], 3600.0)
            : (null, 0);
        if (number is not null && double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && value > 0)
        {
            duration = TimeSpan.FromSeconds(value * scale);
            return true;
        }

        return TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out duration) && duration > TimeSpan.Zero;
    }

    private static void Print(IAnsiConsole console, IReadOnlyDictionary<string, OperationStats> report, TimeSpan length)
    {
        var table = new Table().AddColumns("operation", "count", "ops/s", "p50 ms", "p95 ms", "p99 ms", "errors");
        foreach (var (name, stats) in report.OrderBy(r => r.Key, StringComparer.Ordinal))
        {
            table.AddRow(name, stats.Count.ToString(CultureInfo.InvariantCulture), (stats.Count / length.TotalSeconds).ToString("F1", CultureInfo.InvariantCulture),
                F(stats.Percentile(0.50)), F(stats.Percentile(0.95)), F(stats.Percentile(0.99)), stats.Errors.ToString(CultureInfo.InvariantCulture));
        }

        var total = report.Values.Sum(r => r.Count);
        table.AddRow("[bold]all[/]", total.ToString(CultureInfo.InvariantCulture), (total / length.TotalSeconds).ToString("F1", CultureInfo.InvariantCulture), "", "", "",
            report.Values.Sum(r => r.Errors).ToString(CultureInfo.InvariantCulture));
        console.Write(table);
        foreach (var (name, stats) in report.Where(r => r.Value.FirstError is not null))
        {
            console.MarkupLineInterpolated($"[red]{name}: first error: {stats.FirstError}[/]");
        }

        static string F(double ms) => ms.ToString("F2", CultureInfo.InvariantCulture);
    }
}
