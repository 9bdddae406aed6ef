using OrleansMemory.Cli;
using Spectre.Console;

namespace OrleansMemory.Storage.Tests;

/// <summary>Runs omem in-process with its output captured: Output is everything it printed, Errors what went to stderr.</summary>
public static class Omem
{
    public static async Task<(int ExitCode, string Output, string Errors)> RunAsync(params string[] args)
    {
        var writer = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
            Out = new AnsiConsoleOutput(writer),
        });
        console.Profile.Width = 200;
        var errors = new StringWriter();
        var exitCode = await OmemCli.RunAsync(args, console, errors, CancellationToken.None);
        return (exitCode, writer.ToString() + errors, errors.ToString());
    }
}
