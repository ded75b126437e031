using System.CommandLine;

namespace CloudInventory.Cli.Settings;

/// <summary>
/// One setting, declared once (in <see cref="CliSettings"/>) and bound by every command that uses it: its name is
/// <c>role_name</c> in a config file, <c>CLOUDINV_ROLE_NAME</c> in the environment and <c>--role-name</c> as a flag.
/// Precedence: flag, then environment, then the config file (a command's section, then the top level), then the default.
/// </summary>
/// <param name="Name">The snake_case name (config key).</param>
/// <param name="Kind">The kind of value.</param>
/// <param name="Help">What it means, one sentence.</param>
/// <param name="Default">The default as text (shown in help and by <c>config show</c>), or null for none.</param>
/// <param name="Aliases">Older or shorter flag spellings that mean the same (e.g. <c>--region</c> for <c>--regions</c>).</param>
/// <param name="Secret">True when the value must never be printed.</param>
/// <param name="Greedy">For lists: whether one flag takes several following words (<c>--regions a b</c>).</param>
/// <param name="SplitCommas">For lists: whether a value is split at commas (not for values that may hold commas).</param>
internal sealed record Setting(string Name, SettingKind Kind, string Help, string? Default = null, string[]? Aliases = null, bool Secret = false, bool Greedy = false, bool SplitCommas = true)
{
    /// <summary>The flag, <c>--role-name</c>.</summary>
    public string Flag => "--" + Name.Replace('_', '-');

    /// <summary>The environment variable, <c>CLOUDINV_ROLE_NAME</c>.</summary>
    public string EnvironmentVariable => "CLOUDINV_" + Name.ToUpperInvariant();

    /// <summary>A new option for this setting (each command gets its own instance).</summary>
    public Option CreateOption()
    {
        var description = Help + (Default is null ? "" : $" Default: {Default}.") + $" [{EnvironmentVariable}]";
        var aliases = Aliases ?? [];
        return Kind switch
        {
            SettingKind.List => new Option<string[]>(Flag, aliases) { Description = description, AllowMultipleArgumentsPerToken = Greedy },
            SettingKind.Switch => new Option<bool>(Flag, aliases) { Description = description },
            _ => new Option<string?>(Flag, aliases) { Description = description },
        };
    }
}
