using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using CloudInventory.Catalog;
using CloudInventory.Cli.Settings;
using CloudInventory.Query;

namespace CloudInventory.Cli.Commands;

/// <summary>
/// <c>cloudinv sql</c>: an interactive read-only SQL shell over a store, like DuckDB's. Statements end with <c>;</c>
/// and may span lines; <c>.tables</c>, <c>.schema [table]</c>, <c>.mode table|csv|json|jsonl</c>, <c>.timer on|off</c>,
/// <c>.runs</c>, <c>.history</c>, <c>.help</c> and <c>.quit</c> are shell commands. On a terminal, the arrow keys recall
/// earlier statements, which are kept in <c>~/.cache/cloudinv/sql_history</c>. With piped input, a failed statement
/// makes the exit code 1 (and with <c>--bail</c> stops the script there).
/// </summary>
internal static class SqlCommand
{
    private const int HistoryLimit = 1000;

    public static Command Create(Func<TableCatalog> catalog, TextReader input)
    {
        var settings = new CommandSettings(StoreSelection.Settings).WithFormats(QueryResultWriter.RowFormats);
        var bail = new Option<bool>("--bail", "-bail") { Description = "Stop at the first failed statement (piped input)." };
        var command = new Command("sql", "Interactive read-only SQL shell over the store (statements end with ';'; .tables, .schema, .mode, .timer, .runs, .history, .quit).") { bail };
        settings.AddTo(command);
        command.SetAction(parse =>
        {
            var output = parse.InvocationConfiguration.Output;
            var error = parse.InvocationConfiguration.Error;
            var values = settings.Resolve(parse);
            using var db = StoreSelection.Open(values, catalog(), null, parse.InvocationConfiguration.Error);
            var interactive = ReferenceEquals(input, Console.In) && !Console.IsInputRedirected && QueryCommand.IsTerminal(output);
            var history = interactive ? LoadHistory() : [];
            var failures = Run(db, interactive ? new SqlLineEditor(history).ReadLine : _ => input.ReadLine(), output, error, history, interactive,
                values.Format, parse.GetValue(bail), values.Terminal);
            return !interactive && failures > 0 ? CliApp.Failed : CliApp.Done;
        });
        return command;
    }

    /// <summary>
    /// The read-eval-print loop; <paramref name="readLine"/> gets the prompt and returns null at the end of input.
    /// Returns how many statements failed.
    /// </summary>
    internal static int Run(InventoryDatabase db, Func<string, string?> readLine, TextWriter output, TextWriter error, List<string> history, bool interactive,
        string format = "table", bool bail = false, bool terminal = false)
    {
        if (interactive)
        {
            output.WriteLine($"cloudinv sql: {db.StoreRoot}, {db.Runs.Count} runs, {db.TablesWithData.Count} tables with data. End statements with ';'. .help for help.");
        }
        var shell = new ShellState { Format = format };
        var failures = 0;
        var buffer = new StringBuilder();
        while (true)
        {
            var line = readLine(buffer.Length == 0 ? "cloudinv> " : "     ...> ");
            if (line is null) break;
            if (buffer.Length == 0 && line.TrimStart().StartsWith('.'))
            {
                var (keepGoing, ok) = DotCommand(db, line.Trim(), output, error, history, shell, terminal || QueryCommand.IsTerminal(output));
                if (!ok) failures++;
                if (!keepGoing || (!ok && bail)) break;
                continue;
            }
            buffer.AppendLine(line);
            if (!line.TrimEnd().EndsWith(';')) continue;
            var sql = buffer.ToString().Trim();
            buffer.Clear();
            Remember(history, sql, interactive);
            var clock = Stopwatch.StartNew();
            try
            {
                using var reader = db.ExecuteQuery(sql);
                QueryResultWriter.Write(reader, shell.Format, output, terminal || QueryCommand.IsTerminal(output));
            }
            catch (InventoryQueryException e)
            {
                error.WriteLine(interactive ? e.Message : "error: " + CliApp.OneLine(e.Message));
                failures++;
                if (bail) break;
            }
            if (shell.Timer) output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Run Time (s): real {clock.Elapsed.TotalSeconds:F3}"));
        }
        if (buffer.ToString().Trim().Length > 0)
        {
            error.WriteLine("error: the input ended inside a statement (no closing ';')");
            failures++;
        }
        return failures;
    }

    private sealed class ShellState
    {
        public string Format { get; set; } = "table";

        public bool Timer { get; set; }
    }

    private static (bool KeepGoing, bool Ok) DotCommand(InventoryDatabase db, string command, TextWriter output, TextWriter error, List<string> history, ShellState shell, bool terminal)
    {
        var parts = command.Split(' ', 2, StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        var argument = parts.Length > 1 ? parts[1] : null;
        switch (parts[0])
        {
            case ".quit" or ".exit" or ".q":
                return (false, true);
            case ".tables":
                var withData = db.TablesWithData;
                foreach (var t in withData) output.WriteLine(t);
                output.WriteLine($"({withData.Count} tables with data; every catalog table is queryable, with the prefixes current_, daily_, distinct_, daily_distinct_; plus cloudinv_runs and cloudinv_errors)");
                return (true, true);
            case ".schema":
                foreach (var name in argument is null ? db.TablesWithData : [argument])
                {
                    try
                    {
                        using var reader = db.ExecuteQuery($"DESCRIBE {name}");
                        var columns = new List<string>();
                        while (reader.Read()) columns.Add($"  {reader.GetString(0)} {reader.GetString(1)}");
                        output.WriteLine($"CREATE VIEW {name} (");
                        output.WriteLine(string.Join("," + Environment.NewLine, columns));
                        output.WriteLine(");");
                    }
                    catch (InventoryQueryException e)
                    {
                        error.WriteLine($"error: .schema {name}: {CliApp.OneLine(e.Message)}");
                        return (true, false);
                    }
                }
                return (true, true);
            case ".mode":
                if (argument is null)
                {
                    output.WriteLine($"current output mode: {shell.Format}");
                    return (true, true);
                }
                if (!QueryResultWriter.RowFormats.Contains(argument))
                {
                    error.WriteLine($"error: .mode {argument}: modes are {string.Join(", ", QueryResultWriter.RowFormats)}");
                    return (true, false);
                }
                shell.Format = argument;
                return (true, true);
            case ".timer":
                if (argument is not ("on" or "off"))
                {
                    error.WriteLine("error: .timer takes on or off");
                    return (true, false);
                }
                shell.Timer = argument == "on";
                return (true, true);
            case ".runs":
                foreach (var r in db.Runs) output.WriteLine($"{r.RunId}  {r.ReportDate:yyyy-MM-dd}  {r.Status,-8}  {r.Tables.Count} tables");
                return (true, true);
            case ".history":
                foreach (var h in history.TakeLast(20)) output.WriteLine(h);
                return (true, true);
            case ".help":
                output.WriteLine("SQL statements end with ';' and may span lines (read-only: SELECT, WITH, FROM, DESCRIBE, SHOW, SUMMARIZE, EXPLAIN).");
                output.WriteLine(".tables          tables with data        .schema [table]  a table's columns");
                output.WriteLine(".mode [format]   table, csv, json, jsonl .timer on|off    time each statement");
                output.WriteLine(".runs            visible runs            .history         recent statements");
                output.WriteLine(".quit            leave");
                return (true, true);
            default:
                error.WriteLine($"error: unknown command {parts[0]}; .help lists them.");
                return (true, false);
        }
    }

    private static string HistoryFile =>
        Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache", "cloudinv", "sql_history");

    private static List<string> LoadHistory()
    {
        try
        {
            return File.Exists(HistoryFile) ? File.ReadAllLines(HistoryFile).Select(l => l.Replace("\\n", "\n", StringComparison.Ordinal)).TakeLast(HistoryLimit).ToList() : [];
        }
        catch (IOException)
        {
            return [];
        }
    }

    private static void Remember(List<string> history, string sql, bool persist)
    {
        if (history.Count > 0 && history[^1] == sql) return;
        history.Add(sql);
        if (!persist) return;
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(HistoryFile)!);
            File.AppendAllText(HistoryFile, sql.ReplaceLineEndings("\\n") + "\n");
        }
        catch (IOException)
        {
            // History is a convenience; a read-only home directory must not stop the shell.
        }
    }
}
