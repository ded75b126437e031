using System.CommandLine;
using System.Text;
using CloudInventory.Catalog;
using CloudInventory.Query;

namespace CloudInventory.Cli.Commands;

/// <summary>
/// <c>cloudinv sql</c>: an interactive read-only SQL shell over a store. Statements end with <c>;</c>;
/// <c>.tables</c>, <c>.runs</c>, <c>.history</c>, <c>.help</c> and <c>.quit</c> are shell commands. On a
/// terminal, the arrow keys recall earlier statements, which are kept in <c>~/.cache/cloudinv/sql_history</c>.
/// </summary>
internal static class SqlCommand
{
    private const int HistoryLimit = 1000;

    public static Command Create(Func<TableCatalog> catalog, TextReader input)
    {
        var store = new StoreSelection();
        var whereTag = QueryCommand.WhereTagOption();
        var command = new Command("sql", "Interactive read-only SQL shell over the store (statements end with ';'; .tables, .runs, .history, .quit).") { store.Store, store.CacheDirectory, store.EndpointUrl, whereTag };
        command.SetAction(parse =>
        {
            var output = parse.InvocationConfiguration.Output;
            var error = parse.InvocationConfiguration.Error;
            try
            {
                using var db = InventoryDatabase.Open(store.Location(parse), catalog(), store.Options(parse, QueryCommand.Tags(parse, whereTag)));
                var interactive = ReferenceEquals(input, Console.In) && !Console.IsInputRedirected && QueryCommand.IsTerminal(output);
                var history = interactive ? LoadHistory() : [];
                Run(db, interactive ? new SqlLineEditor(history).ReadLine : _ => input.ReadLine(), output, error, history, interactive);
                return 0;
            }
            catch (InventoryQueryException e)
            {
                error.WriteLine(e.Message);
                return 2;
            }
        });
        return command;
    }

    /// <summary>The read-eval-print loop; <paramref name="readLine"/> gets the prompt and returns null at the end of input.</summary>
    internal static void Run(InventoryDatabase db, Func<string, string?> readLine, TextWriter output, TextWriter error, List<string> history, bool interactive)
    {
        if (interactive)
        {
            output.WriteLine($"cloudinv sql: {db.StoreRoot}, {db.Runs.Count} runs, {db.TablesWithData.Count} tables with data. End statements with ';'. .help for help.");
        }
        var buffer = new StringBuilder();
        while (true)
        {
            var line = readLine(buffer.Length == 0 ? "cloudinv> " : "     ...> ");
            if (line is null) break;
            if (buffer.Length == 0 && line.TrimStart().StartsWith('.'))
            {
                if (!DotCommand(db, line.Trim(), output, error, history)) break;
                continue;
            }
            buffer.AppendLine(line);
            if (!line.TrimEnd().EndsWith(';')) continue;
            var sql = buffer.ToString().Trim();
            buffer.Clear();
            Remember(history, sql, interactive);
            try
            {
                using var reader = db.ExecuteQuery(sql);
                QueryResultWriter.Write(reader, "table", output, QueryCommand.IsTerminal(output));
            }
            catch (InventoryQueryException e)
            {
                error.WriteLine(e.Message);
            }
        }
    }

    private static bool DotCommand(InventoryDatabase db, string command, TextWriter output, TextWriter error, List<string> history)
    {
        switch (command.Split(' ', 2)[0])
        {
            case ".quit" or ".exit" or ".q":
                return false;
            case ".tables":
                var withData = db.TablesWithData;
                foreach (var t in withData) output.WriteLine(t);
                output.WriteLine($"({withData.Count} tables with data; every catalog table is queryable, with the prefixes current_, daily_, distinct_, daily_distinct_; plus cloudinv_runs and cloudinv_errors)");
                return true;
            case ".runs":
                foreach (var r in db.Runs) output.WriteLine($"{r.RunId}  {r.ReportDate:yyyy-MM-dd}  {r.Status,-8}  {r.Tables.Count} tables");
                return true;
            case ".history":
                foreach (var h in history.TakeLast(20)) output.WriteLine(h);
                return true;
            case ".help":
                output.WriteLine("SQL statements end with ';' (read-only: SELECT, WITH, FROM, DESCRIBE, SHOW, SUMMARIZE, EXPLAIN).");
                output.WriteLine(".tables   tables with data      .runs     visible runs");
                output.WriteLine(".history  recent statements     .quit     leave");
                return true;
            default:
                error.WriteLine($"unknown command {command}; .help lists them.");
                return true;
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
