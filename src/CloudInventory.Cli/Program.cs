using CloudInventory.Cli;

return await CliApp.RunAsync(args).ConfigureAwait(false);
