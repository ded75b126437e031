using System.CommandLine;
using CloudInventory.Cli.Settings;

namespace CloudInventory.Cli.Commands;

/// <summary><c>cloudinv config show</c>: the effective settings and where each came from (secrets never printed).</summary>
internal static class ConfigCommand
{
    public static Command Create()
    {
        var command = new Command("config", "The settings: flags > CLOUDINV_* environment > --config file (per-command sections) > defaults.");
        var forCommand = new Option<string?>("--for") { Description = "Resolve as this command would, e.g. collect or 'store gc' (its config file section applies)." };
        var settings = new CommandSettings([.. CliSettings.All.Where(s => s.Name != CliSettings.Format.Name)]).WithFormats(QueryResultWriter.RowFormats);
        var show = new Command("show", "Print every setting's effective value, where it came from, and its environment variable.") { forCommand };
        settings.AddTo(show);
        show.SetAction(parse =>
        {
            var section = parse.GetValue(forCommand) is { } name ? name.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) : [];
            var values = settings.Resolve(parse, section);
            var rows = settings.Settings.Where(s => s.Name != CliSettings.Format.Name).Select(s => new object?[]
            {
                s.Name,
                values.Text(s) is { } text ? s.Secret ? "(set, not shown)" : text : null,
                values.SourceOf(s) is { Length: > 0 } source ? source : "unset",
                s.EnvironmentVariable,
                s.Flag,
            }).ToArray();
            QueryResultWriter.WriteRows(["setting", "value", "source", "environment", "flag"], rows, values.Format, parse.InvocationConfiguration.Output, values.Terminal);
            return CliApp.Done;
        });
        command.Subcommands.Add(show);
        return command;
    }
}
