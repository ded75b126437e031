using System.Globalization;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace CloudInventory.Cli.Commands;

/// <summary>
/// The settings of <c>cloudinv collect</c>, merged from a YAML file, <c>CLOUDINV_*</c> environment
/// variables and flags, in rising order of precedence. Names are the same everywhere:
/// <c>role_name</c> in YAML, <c>CLOUDINV_ROLE_NAME</c> in the environment, <c>--role-name</c> as a flag.
/// </summary>
internal sealed class CollectSettings
{
    public static readonly string[] Keys =
    [
        "profile", "accounts", "org", "ou", "exclude_ou", "role_name", "external_id", "regions", "tables", "store", "shard", "run_id",
        "endpoint_url", "concurrency", "max_attempts", "log_format",
    ];

    private readonly Dictionary<string, (object Value, string Source)> _values = new(StringComparer.Ordinal);

    public void Set(string key, object value, string source) => _values[key] = (value, source);

    public string? String(string key) => _values.TryGetValue(key, out var v) ? v.Value as string ?? string.Join(",", (IEnumerable<string>)v.Value) : null;

    public IReadOnlyList<string> List(string key) => _values.TryGetValue(key, out var v)
        ? v.Value is IReadOnlyList<string> list ? list : ((string)v.Value).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
        : [];

    public bool Has(string key) => _values.ContainsKey(key);

    public string SourceOf(string key) => _values.TryGetValue(key, out var v) ? v.Source : "";

    public bool Bool(string key)
    {
        var text = String(key);
        if (text is null) return false;
        return text.ToLowerInvariant() switch
        {
            "true" or "yes" or "1" or "on" => true,
            "false" or "no" or "0" or "off" or "" => false,
            _ => throw new FormatException($"{key} ({SourceOf(key)}): '{text}' is not true or false"),
        };
    }

    public int? Int(string key)
    {
        var text = String(key);
        if (text is null) return null;
        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0
            ? n
            : throw new FormatException($"{key} ({SourceOf(key)}): '{text}' is not a positive whole number");
    }

    /// <summary>Reads a YAML config file: a mapping of the keys above to strings, booleans, numbers or lists.</summary>
    /// <exception cref="FormatException">The file is not valid YAML or has an unknown key (message names the file and line).</exception>
    public void LoadYaml(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new FormatException($"cannot read the config file {path}: {e.Message}");
        }
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlException e)
        {
            throw new FormatException($"{path}:{e.Start.Line}: invalid YAML: {e.Message}");
        }
        if (stream.Documents.Count == 0) return;
        if (stream.Documents[0].RootNode is not YamlMappingNode root)
            throw new FormatException($"{path}: the config must be a mapping of settings, e.g. 'store: ./inventory'");
        foreach (var (keyNode, valueNode) in root.Children)
        {
            var key = ((keyNode as YamlScalarNode)?.Value ?? "").Replace('-', '_');
            if (!Keys.Contains(key))
            {
                var near = CloudInventory.Text.EditDistance.Closest(key, Keys);
                throw new FormatException($"{path}:{keyNode.Start.Line}: unknown setting '{key}'{(near is null ? "" : $" (did you mean '{near}'?)")}; settings: {string.Join(", ", Keys)}");
            }
            var source = $"{path}:{keyNode.Start.Line}";
            switch (valueNode)
            {
                case YamlScalarNode scalar:
                    Set(key, scalar.Value ?? "", source);
                    break;
                case YamlSequenceNode sequence:
                    Set(key, sequence.Children.Select(c => (c as YamlScalarNode)?.Value
                        ?? throw new FormatException($"{path}:{c.Start.Line}: '{key}' must be a list of plain values")).ToList(), source);
                    break;
                default:
                    throw new FormatException($"{source}: '{key}' must be a value or a list");
            }
        }
    }

    /// <summary>Reads <c>CLOUDINV_&lt;KEY&gt;</c> environment variables.</summary>
    public void LoadEnvironment(Func<string, string?> environment)
    {
        foreach (var key in Keys)
        {
            var name = "CLOUDINV_" + key.ToUpperInvariant();
            if (environment(name) is { } value) Set(key, value, name);
        }
    }
}
