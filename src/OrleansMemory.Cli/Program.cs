using OrleansMemory.Cli;

return await OmemCli.RunAsync(args, OmemConsole.Create(), CancellationToken.None).ConfigureAwait(false);
