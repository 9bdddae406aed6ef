using OrleansMemory.Cli;
using Spectre.Console;

return await OmemCli.RunAsync(args, AnsiConsole.Console, CancellationToken.None).ConfigureAwait(false);
