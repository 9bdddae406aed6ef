using OrleansMemory.Cli;

return await OmemCli.RunAsync(args, OmemConsole.Create(), Console.Error, CancellationToken.None).ConfigureAwait(false);
