using System.CommandLine;
using System.CommandLine.Parsing;

namespace CloudInventory.Cli.Settings;

/// <summary>
/// The settings one command binds: it adds their flags to the command and, when it runs, resolves each from the
/// flag, the environment, the config file or the default (<see cref="Resolve"/>).
/// </summary>
internal sealed class CommandSettings
{
    private readonly List<(Setting Setting, Option Option)> _bound = [];
    private string[]? _formats;
    private Option<bool>? _json;

    /// <summary>Binds these settings (a setting may be given with its own per-command default: <c>CliSettings.OlderThan with { Default = "6h" }</c>).</summary>
    public CommandSettings(params Setting[] settings)
    {
        foreach (var s in settings) _bound.Add((s, s.CreateOption()));
    }

    /// <summary>Also binds <c>--format</c> with these values (and <c>--json</c>, its alias for <c>--format json</c>).</summary>
    public CommandSettings WithFormats(params string[] formats)
    {
        _formats = formats;
        var format = CliSettings.Format with { Help = $"Output format: {string.Join(", ", formats)}." };
        _bound.Add((format, format.CreateOption()));
        _json = new Option<bool>("--json") { Description = "The same as --format json." };
        return this;
    }

    /// <summary>The formats this command accepts, or null.</summary>
    public IReadOnlyList<string>? Formats => _formats;

    /// <summary>The settings bound, in order.</summary>
    public IEnumerable<Setting> Settings => _bound.Select(b => b.Setting);

    /// <summary>The option of a bound setting.</summary>
    public Option OptionOf(Setting setting) => _bound.First(b => b.Setting.Name == setting.Name).Option;

    /// <summary>Adds the flags to a command.</summary>
    public void AddTo(Command command)
    {
        foreach (var (_, option) in _bound) command.Options.Add(option);
        if (_json is not null) command.Options.Add(_json);
    }

    /// <summary>Resolves every bound setting for this invocation.</summary>
    /// <exception cref="CliUsageException">A value is empty or malformed, or the config file cannot be used.</exception>
    public SettingValues Resolve(ParseResult parse, IReadOnlyList<string>? sectionPath = null)
    {
        ArgumentNullException.ThrowIfNull(parse);
        var environment = CliApp.EnvironmentOverride.Value ?? Environment.GetEnvironmentVariable;
        var path = sectionPath ?? CommandPath(parse);
        var config = LoadConfig(parse, environment);
        var values = new SettingValues(path);
        foreach (var (setting, option) in _bound)
        {
            var result = parse.GetResult(option);
            if (result is { Implicit: false })
            {
                var flag = result.IdentifierToken?.Value ?? setting.Flag;
                switch (option)
                {
                    case Option<bool> b:
                        if (parse.GetValue(b)) values.Set(setting, "true", $"flag {flag}");
                        break;
                    case Option<string[]> list:
                        values.Set(setting, SplitList(parse.GetValue(list) ?? [], setting, $"flag {flag}"), $"flag {flag}");
                        break;
                    default:
                        values.Set(setting, Nonempty(parse.GetValue((Option<string?>)option), setting, $"flag {flag}"), $"flag {flag}");
                        break;
                }
                continue;
            }
            if (environment(setting.EnvironmentVariable) is { } fromEnvironment)
            {
                var source = $"environment {setting.EnvironmentVariable}";
                values.Set(setting, setting.Kind == SettingKind.List ? SplitList([fromEnvironment], setting, source) : Nonempty(fromEnvironment, setting, source), source);
                continue;
            }
            if (config is not null && config.TryGet(setting, path, out var fromFile, out var fileSource))
            {
                values.Set(setting, fromFile switch
                {
                    List<string> items => SplitList(items, setting, fileSource),
                    string text when setting.Kind == SettingKind.List => SplitList([text], setting, fileSource),
                    string text => Nonempty(text, setting, fileSource),
                    _ => fromFile,
                }, fileSource);
                continue;
            }
            if (setting.Default is { } fallback && setting.Name != CliSettings.Format.Name) values.SetDefault(setting, fallback);
        }
        if (_formats is not null)
        {
            var output = parse.InvocationConfiguration.Output;
            var terminal = ReferenceEquals(output, Console.Out) && !Console.IsOutputRedirected;
            var chosen = values.Text(CliSettings.Format);
            if (_json is not null && parse.GetValue(_json))
            {
                if (chosen is not null && chosen != "json" && values.SourceOf(CliSettings.Format).StartsWith("flag", StringComparison.Ordinal))
                    throw new CliUsageException($"--json and --format {chosen} contradict each other; give one");
                chosen = "json";
                values.Set(CliSettings.Format, "json", "flag --json");
            }
            if (chosen is not null && !_formats.Contains(chosen))
                throw new CliUsageException($"--format '{chosen}' ({values.SourceOf(CliSettings.Format)}) is not one of {string.Join(", ", _formats)}");
            if (chosen is null)
            {
                chosen = terminal || !_formats.Contains("csv") ? _formats[0] : "csv";
                values.SetDefault(CliSettings.Format, chosen);
            }
            values.Terminal = terminal;
        }
        return values;
    }

    /// <summary>The command's words below the root, e.g. ["store", "gc"].</summary>
    public static IReadOnlyList<string> CommandPath(ParseResult parse)
    {
        var words = new List<string>();
        for (var r = parse.CommandResult; r is not null && r.Parent is not null; r = r.Parent as CommandResult) words.Insert(0, r.Command.Name);
        return words;
    }

    private static ConfigFile? LoadConfig(ParseResult parse, Func<string, string?> environment)
    {
        string? path = null;
        var option = parse.RootCommandResult.Command.Options.FirstOrDefault(o => o.Name == "--config");
        if (option is not null && parse.GetResult(option) is { Implicit: false }) path = parse.GetValue((Option<string?>)option);
        path ??= environment("CLOUDINV_CONFIG");
        if (path is null) return null;
        if (path.Trim().Length == 0) throw new CliUsageException("--config is empty; give a YAML file, or leave it out");
        if (!File.Exists(path)) throw new CliUsageException($"the config file {path} does not exist");
        return ConfigFile.Load(path);
    }

    private static string Nonempty(string? value, Setting setting, string source)
    {
        if (string.IsNullOrWhiteSpace(value))
            throw new CliUsageException($"{setting.Flag} is empty ({source}); give a value, or leave it out{(setting.Default is null ? "" : $" for the default ({setting.Default})")}");
        return value.Trim();
    }

    private static List<string> SplitList(IEnumerable<string> values, Setting setting, string source)
    {
        var items = setting.SplitCommas
            ? values.SelectMany(v => v.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).ToList()
            : values.Select(v => v.Trim()).Where(v => v.Length > 0).ToList();
        if (items.Count == 0)
            throw new CliUsageException($"{setting.Flag} is empty ({source}); give at least one value, or leave it out for the default");
        return items;
    }
}
