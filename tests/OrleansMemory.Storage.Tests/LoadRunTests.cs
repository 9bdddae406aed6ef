using System.Net;
using System.Net.Sockets;
using OrleansMemory.Cli.Load;
using Spectre.Console;

namespace OrleansMemory.Storage.Tests;

/// <summary><c>omem load</c> counts requests that time out or cannot connect as errors (the run fails), instead of
/// letting its workers die silently.</summary>
public sealed class LoadRunTests
{
    [Fact]
    public async Task A_silo_that_never_answers_makes_every_request_an_error()
    {
        using var silent = new TcpListener(IPAddress.Loopback, 0);
        silent.Start(); // accepts connections (the backlog) and never answers
        var target = new Uri($"http://127.0.0.1:{((IPEndPoint)silent.LocalEndpoint).Port}/");
        var report = await Run(target);
        Assert.True(report.Values.Sum(s => s.Errors) > 0);
        Assert.Contains(report.Values, s => s.FirstError?.Contains("no answer", StringComparison.Ordinal) == true);
    }

    [Fact]
    public async Task A_silo_that_refuses_connections_makes_every_request_an_error()
    {
        using var closed = new TcpListener(IPAddress.Loopback, 0);
        closed.Start();
        var port = ((IPEndPoint)closed.LocalEndpoint).Port;
        closed.Stop();
        var report = await Run(new Uri($"http://127.0.0.1:{port}/"));
        Assert.True(report.Values.Sum(s => s.Errors) > 0);
        Assert.Equal(0, report.Values.Sum(s => s.Count));
    }

    private static Task<IReadOnlyDictionary<string, OperationStats>> Run(Uri target)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(TextWriter.Null), Interactive = InteractionSupport.No });
        Assert.True(LoadMix.TryParse("chat", out var mix));
        var run = new LoadRun([target], users: 2, mix, apiKey: null, dimension: 4);
        return run.ExecuteAsync(console, TimeSpan.FromSeconds(2), TimeSpan.FromMilliseconds(300), CancellationToken.None);
    }
}
