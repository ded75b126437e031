using System.CommandLine;
using CloudInventory.Catalog;
using CloudInventory.Cli.Settings;
using CloudInventory.Query;

namespace CloudInventory.Cli.Commands;

/// <summary>
/// <c>cloudinv query</c>: runs read-only SQL over a store and prints every result. Exit codes: 0 done, 1 the SQL
/// failed (DuckDB's message and position), 2 bad options or a store that cannot be used.
/// </summary>
internal static class QueryCommand
{
    public const string DefaultStore = "./inventory";

    /// <summary>Adds the query commands (<c>query</c>, <c>sql</c>, <c>diff</c>, <c>trend</c>) to the root command.</summary>
    public static void AddTo(RootCommand root)
    {
        root.Subcommands.Add(Create(() => TableCatalog.Default));
        root.Subcommands.Add(SqlCommand.Create(() => TableCatalog.Default, Console.In));
        root.Subcommands.Add(DiffCommand.Create(() => TableCatalog.Default, () => DateTimeOffset.UtcNow));
        root.Subcommands.Add(TrendCommand.Create(() => TableCatalog.Default, () => DateOnly.FromDateTime(DateTime.UtcNow)));
    }

    public static bool IsTerminal(TextWriter output) => ReferenceEquals(output, Console.Out) && !Console.IsOutputRedirected;

    public static Command Create(Func<TableCatalog> catalog, TextReader? stdin = null)
    {
        var sqlArg = new Argument<string?>("sql")
        {
            Description = "The SQL (one or more statements; every result is printed), a path to a .sql file, or - (or nothing) to read it from standard input.",
            Arity = ArgumentArity.ZeroOrOne,
        };
        var settings = new CommandSettings(StoreSelection.Settings).WithFormats(QueryResultWriter.Formats);
        var outFile = new Option<string?>("--out") { Description = "Write the result to this file instead of standard output (required for parquet); its folder must exist." };
        var command = new Command("query", "Run read-only SQL over every snapshot of the store (views aws_*, current_*, daily_*, distinct_*, daily_distinct_*, cloudinv_runs, cloudinv_errors).")
        {
            sqlArg, outFile,
        };
        settings.AddTo(command);
        command.SetAction(parse =>
        {
            var error = parse.InvocationConfiguration.Error;
            var values = settings.Resolve(parse);
            StartupTrace.Mark("settings resolved");
            string sql;
            try
            {
                sql = ReadSql(parse.GetValue(sqlArg), stdin ?? Console.In);
            }
            catch (InventoryQueryException e)
            {
                throw new CliUsageException(e.Message, e);
            }
            var fmt = values.Format;
            var path = parse.GetValue(outFile);
            if (fmt == "parquet" && path is null) throw new CliUsageException("--format parquet needs --out <file>");
            if (path is not null) CheckOutput(path);
            var tables = catalog();
            tables.Prefetch(InventoryDatabase.TableNamesIn(sql));
            StartupTrace.Mark("catalog loaded");
            using var db = StoreSelection.Open(values, tables, path, error); // any --out is checked against the store, whatever the format
            StartupTrace.Mark("store opened");
            try
            {
                if (fmt == "parquet")
                {
                    var n = db.ExportParquet(sql, path!);
                    error.WriteLine($"{n} rows written to {path}");
                    return CliApp.Done;
                }
                using var reader = db.ExecuteQuery(sql);
                StartupTrace.Mark("query executed");
                if (path is null)
                {
                    var output = parse.InvocationConfiguration.Output;
                    QueryResultWriter.Write(reader, fmt, output, values.Terminal);
                    StartupTrace.Mark("query answered");
                }
                else
                {
                    using var file = new StreamWriter(path);
                    QueryResultWriter.Write(reader, fmt, file, terminal: false);
                }
                return CliApp.Done;
            }
            catch (InventoryQueryException e)
            {
                error.WriteLine("error: " + CliApp.OneLine(e.Message));
                return CliApp.Failed;
            }
        });
        return command;
    }

    /// <summary>Refuses an output path whose folder does not exist, or that is a folder.</summary>
    /// <exception cref="CliUsageException">It cannot be written.</exception>
    internal static void CheckOutput(string path)
    {
        var full = Path.GetFullPath(path);
        if (Directory.Exists(full)) throw new CliUsageException($"--out {path} is a folder; give a file path");
        var folder = Path.GetDirectoryName(full);
        if (folder is not null && !Directory.Exists(folder)) throw new CliUsageException($"--out {path}: the folder {folder} does not exist; create it first");
    }

    internal static string ReadSql(string? argument, TextReader stdin)
    {
        if (argument is null or "-")
        {
            if (argument is null && ReferenceEquals(stdin, Console.In) && !Console.IsInputRedirected)
            {
                throw new InventoryQueryException("no SQL given: pass it as an argument, a .sql file, or on standard input.");
            }
            return stdin.ReadToEnd();
        }
        if (argument.EndsWith(".sql", StringComparison.OrdinalIgnoreCase) && !argument.Contains(' ', StringComparison.Ordinal))
        {
            if (!File.Exists(argument)) throw new InventoryQueryException($"SQL file {argument} does not exist.");
            return File.ReadAllText(argument);
        }
        return argument;
    }
}
