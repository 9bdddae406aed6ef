using Spectre.Console;

namespace OrleansMemory.Cli;

/// <summary>The console omem writes to: colour and progress bars only on a terminal, and never when <c>NO_COLOR</c>
/// is set (https://no-color.org).</summary>
public static class OmemConsole
{
    /// <summary>Creates the console for the current process.</summary>
    public static IAnsiConsole Create() =>
        Create(Console.IsOutputRedirected, Environment.GetEnvironmentVariable("NO_COLOR"), Console.Out);

    /// <summary>Creates a console for output that is (or is not) redirected, with the given <c>NO_COLOR</c> value.</summary>
    public static IAnsiConsole Create(bool redirected, string? noColor, TextWriter output) => AnsiConsole.Create(new AnsiConsoleSettings
    {
        Ansi = redirected ? AnsiSupport.No : AnsiSupport.Detect,
        ColorSystem = redirected || !string.IsNullOrEmpty(noColor) ? ColorSystemSupport.NoColors : ColorSystemSupport.Detect,
        Interactive = redirected ? InteractionSupport.No : InteractionSupport.Detect,
        Out = new AnsiConsoleOutput(output),
    });
}
