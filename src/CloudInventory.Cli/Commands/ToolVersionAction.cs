using System.CommandLine;
using System.CommandLine.Invocation;

namespace CloudInventory.Cli.Commands;

/// <summary><c>cloudinv --version</c>: the version, the commit, the embedded model bundles and the store format, one per line (see <see cref="ToolVersionInfo"/>).</summary>
internal sealed class ToolVersionAction : SynchronousCommandLineAction
{
    /// <summary>Makes the root command's <c>--version</c> print <see cref="ToolVersionInfo.Describe"/>.</summary>
    public static void ReplaceIn(RootCommand root)
    {
        foreach (var option in root.Options.OfType<VersionOption>()) option.Action = new ToolVersionAction();
    }

    public override int Invoke(ParseResult parseResult)
    {
        var output = parseResult.InvocationConfiguration.Output;
        foreach (var line in ToolVersionInfo.Current.Describe()) output.WriteLine(line);
        return 0;
    }
}
