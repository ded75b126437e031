using System.CommandLine;

namespace CloudInventory.Cli;

/// <summary>The cloudinv command line.</summary>
public static class CliApp
{
    /// <summary>Builds the root command.</summary>
    public static RootCommand Build()
    {
        var root = new RootCommand("Cloud Inventory: snapshots of your whole cloud footprint as Parquet, answered in SQL.");
        root.Add(Commands.AwsCommand.Create());
        root.Add(Commands.SimulateCommand.Create());
        return root;
    }

    /// <summary>Runs the command line.</summary>
    public static Task<int> RunAsync(string[] args) => Build().Parse(args).InvokeAsync();
}
