using System.Globalization;
using System.Reflection;
using CloudInventory.Aws.Models;

namespace CloudInventory;

/// <summary>
/// What this build of cloudinv is: its version (from the git tag, by MinVer; <c>0.0.0-alpha.0.&lt;height&gt;</c>
/// in a clone without tags), the commit it was built from, the AWS model bundle it embeds and the store format
/// it writes. For <c>--version</c> and for run manifests.
/// </summary>
public sealed class ToolVersionInfo
{
    private readonly Lazy<string> _awsModels;

    /// <summary>Reads the version and commit from <paramref name="assembly"/>'s informational version (<c>version+commit</c>).</summary>
    /// <param name="assembly">The assembly whose <see cref="AssemblyInformationalVersionAttribute"/> is read.</param>
    /// <param name="awsModels">Where the AWS models came from, asked on first use (loading the bundle's index costs a few milliseconds).</param>
    public ToolVersionInfo(Assembly assembly, Func<string> awsModels)
    {
        ArgumentNullException.ThrowIfNull(assembly);
        ArgumentNullException.ThrowIfNull(awsModels);
        var informational = assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
            ?? assembly.GetName().Version?.ToString(3)
            ?? "0.0.0";
        var plus = informational.IndexOf('+', StringComparison.Ordinal);
        Version = plus < 0 ? informational : informational[..plus];
        Commit = plus < 0 || plus == informational.Length - 1 ? null : informational[(plus + 1)..];
        _awsModels = new Lazy<string>(awsModels);
    }

    /// <summary>This build: the core assembly's version, the embedded AWS model bundle.</summary>
    public static ToolVersionInfo Current { get; } = new(typeof(ToolVersionInfo).Assembly, () => AwsModelBundle.Default.Source);

    /// <summary>The semantic version, without build metadata, e.g. <c>0.2.0</c> or <c>0.2.1-alpha.0.3</c>.</summary>
    public string Version { get; }

    /// <summary>The git commit the build came from (full hash), or null when the build did not know it.</summary>
    public string? Commit { get; }

    /// <summary>The AWS model bundle embedded in the tool, e.g. <c>aws-sdk@2.1693.0</c>.</summary>
    public string AwsModels => _awsModels.Value;

    /// <summary>The store format this build writes and the newest it reads (see <see cref="Storage.StoreFormat"/>).</summary>
    public static int StoreFormat => Storage.StoreFormat.Current;

    /// <summary>The lines <c>cloudinv --version</c> prints: version, commit, model bundles and store format.</summary>
    public IReadOnlyList<string> Describe() =>
    [
        "cloudinv " + Version,
        "commit " + (Commit ?? "unknown"),
        "aws models " + AwsModels,
        string.Create(CultureInfo.InvariantCulture, $"store format {StoreFormat}"),
    ];
}
