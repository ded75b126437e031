using System.Globalization;

namespace CloudInventory.Cli.Settings;

/// <summary>The resolved settings of one invocation, each with where its value came from.</summary>
internal sealed class SettingValues(IReadOnlyList<string> commandPath)
{
    private readonly Dictionary<string, (object Value, string Source)> _values = new(StringComparer.Ordinal);

    /// <summary>The command's words, e.g. ["store", "gc"].</summary>
    public IReadOnlyList<string> CommandPath { get; } = commandPath;

    /// <summary>Whether standard output is a terminal (decides the default format and table rendering).</summary>
    public bool Terminal { get; set; }

    /// <summary>The output format (when the command binds one).</summary>
    public string Format => Text(CliSettings.Format) ?? "table";

    public void Set(Setting setting, object value, string source) => _values[setting.Name] = (value, source);

    public void SetDefault(Setting setting, string value) => _values[setting.Name] = (value, "default");

    /// <summary>True when the setting has a value from a flag, the environment or the config file (not a default).</summary>
    public bool IsGiven(Setting setting) => _values.TryGetValue(setting.Name, out var v) && v.Source != "default";

    /// <summary>Where the value came from: <c>flag --store</c>, <c>environment CLOUDINV_STORE</c>, <c>file:line</c>, <c>default</c>, or "" when unset.</summary>
    public string SourceOf(Setting setting) => _values.TryGetValue(setting.Name, out var v) ? v.Source : "";

    /// <summary>The value as text (a list joined with commas), or null when unset.</summary>
    public string? Text(Setting setting) => _values.TryGetValue(setting.Name, out var v)
        ? v.Value as string ?? string.Join(",", (IEnumerable<string>)v.Value)
        : null;

    /// <summary>The value as a list (empty when unset).</summary>
    public IReadOnlyList<string> List(Setting setting) => _values.TryGetValue(setting.Name, out var v)
        ? v.Value as IReadOnlyList<string> ?? (setting.SplitCommas ? ((string)v.Value).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) : [(string)v.Value])
        : [];

    /// <summary>The value of a switch.</summary>
    /// <exception cref="CliUsageException">It is not a truth value.</exception>
    public bool Switch(Setting setting)
    {
        var text = Text(setting);
        if (text is null) return false;
        return text.ToLowerInvariant() switch
        {
            "true" or "yes" or "1" or "on" => true,
            "false" or "no" or "0" or "off" => false,
            _ => throw new CliUsageException($"{setting.Flag} ({SourceOf(setting)}): '{text}' is not true or false"),
        };
    }

    /// <summary>The value of a positive whole number, or null when unset.</summary>
    /// <exception cref="CliUsageException">It is not one.</exception>
    public int? Number(Setting setting)
    {
        var text = Text(setting);
        if (text is null) return null;
        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0
            ? n
            : throw new CliUsageException($"{setting.Flag} ({SourceOf(setting)}): '{text}' is not a positive whole number");
    }

    /// <summary>The value of an http(s) URL, or null when unset.</summary>
    /// <exception cref="CliUsageException">It is not one.</exception>
    public Uri? Url(Setting setting)
    {
        var text = Text(setting);
        if (text is null) return null;
        return Uri.TryCreate(text, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
            ? uri
            : throw new CliUsageException($"{setting.Flag} ({SourceOf(setting)}): '{text}' is not an absolute http(s) URL");
    }

    /// <summary>The value of an age (<see cref="CloudInventory.Text.Age"/>), or null when unset.</summary>
    /// <exception cref="CliUsageException">It is not one.</exception>
    public CloudInventory.Text.Age? Age(Setting setting)
    {
        var text = Text(setting);
        if (text is null) return null;
        return CloudInventory.Text.Age.TryParse(text, out var age, out var error) ? age : throw new CliUsageException($"{setting.Flag} ({SourceOf(setting)}) expects a duration: {error}");
    }
}
