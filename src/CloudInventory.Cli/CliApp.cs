using System.CommandLine;

namespace CloudInventory.Cli;

/// <summary>The cloudinv command line.</summary>
public static class CliApp
{
    /// <summary>Builds the root command.</summary>
    public static RootCommand Build()
    {
        var root = new RootCommand("Cloud Inventory: snapshots of your whole cloud footprint as Parquet, answered in SQL.");
        root.Add(Commands.DemoCommand.Create());
        root.Add(Commands.CollectCommand.Create());
        root.Add(Commands.SimulateCommand.Create());
        Commands.TablesCommand.AddTo(root);
        root.Add(Commands.AwsCommand.Create());
        Commands.QueryCommand.AddTo(root);
        root.Add(Commands.CacheCommand.Create(() => DateOnly.FromDateTime(DateTime.UtcNow)));
        root.Add(Commands.StoreCommand.Create());
        Commands.ToolVersionAction.ReplaceIn(root);
        return root;
    }

    /// <summary>Runs the command line.</summary>
    public static Task<int> RunAsync(string[] args) => Build().Parse(args).InvokeAsync();
}
