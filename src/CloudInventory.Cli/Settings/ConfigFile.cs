using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace CloudInventory.Cli.Settings;

/// <summary>
/// A <c>--config</c> YAML file: settings at the top level (<c>store: ./inventory</c>) and, under a command's name,
/// settings for that command only (<c>collect: {concurrency: 16}</c>; <c>store: {gc: {older_than: 2d}}</c> or
/// <c>store gc: …</c> for a subcommand). A section's value wins over the top level; the more specific section wins.
/// </summary>
internal sealed class ConfigFile
{
    private readonly Dictionary<string, Dictionary<string, (object Value, int Line)>> _sections = new(StringComparer.Ordinal);

    private ConfigFile(string path) => Path = path;

    /// <summary>The file's path.</summary>
    public string Path { get; }

    /// <summary>Reads and checks a config file.</summary>
    /// <exception cref="CliUsageException">It cannot be read, is not YAML, or names an unknown setting (the message names the file and line).</exception>
    public static ConfigFile Load(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CliUsageException($"cannot read the config file {path}: {e.Message}");
        }
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlException e)
        {
            throw new CliUsageException($"{path}:{e.Start.Line}: invalid YAML: {e.Message}");
        }
        var file = new ConfigFile(path);
        if (stream.Documents.Count == 0) return file;
        if (stream.Documents[0].RootNode is not YamlMappingNode root)
            throw new CliUsageException($"{path}: the config must be a mapping of settings, e.g. 'store: ./inventory'");
        file.Read(root, "");
        return file;
    }

    private void Read(YamlMappingNode mapping, string section)
    {
        var values = _sections.TryGetValue(section, out var existing) ? existing : _sections[section] = new(StringComparer.Ordinal);
        foreach (var (keyNode, valueNode) in mapping.Children)
        {
            var key = ((keyNode as YamlScalarNode)?.Value ?? "").Trim();
            var line = (int)keyNode.Start.Line;
            if (valueNode is YamlMappingNode nested)
            {
                var name = key.Replace('_', ' ').Replace('-', ' ');
                Read(nested, section.Length == 0 ? name : section + " " + name);
                continue;
            }
            var setting = CliSettings.Find(key);
            if (setting is null)
            {
                var near = CloudInventory.Text.EditDistance.Closest(key.Replace('-', '_'), CliSettings.All.Select(s => s.Name));
                throw new CliUsageException($"{Path}:{line}: unknown setting '{key}'{(near is null ? "" : $" (did you mean '{near}'?)")}; `cloudinv config show` lists the settings");
            }
            values[setting.Name] = valueNode switch
            {
                YamlScalarNode scalar => (scalar.Value ?? "", line),
                YamlSequenceNode sequence => (sequence.Children.Select(c => (c as YamlScalarNode)?.Value
                    ?? throw new CliUsageException($"{Path}:{c.Start.Line}: '{key}' must be a list of plain values")).ToList(), line),
                _ => throw new CliUsageException($"{Path}:{line}: '{key}' must be a value or a list"),
            };
        }
    }

    /// <summary>The value of a setting for a command (its words, e.g. ["store", "gc"]): the most specific section that has it, else the top level.</summary>
    public bool TryGet(Setting setting, IReadOnlyList<string> commandPath, out object value, out string source)
    {
        for (var n = commandPath.Count; n >= 0; n--)
        {
            var section = string.Join(' ', commandPath.Take(n));
            if (_sections.TryGetValue(section, out var values) && values.TryGetValue(setting.Name, out var found))
            {
                value = found.Value;
                source = $"{Path}:{found.Line}";
                return true;
            }
        }
        value = "";
        source = "";
        return false;
    }
}
