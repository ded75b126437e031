using System.CommandLine;
using CloudInventory.Catalog;
using CloudInventory.Query;

namespace CloudInventory.Cli.Commands;

/// <summary><c>cloudinv query</c>: runs read-only SQL over a store and prints the result.</summary>
internal static class QueryCommand
{
    public const string DefaultStore = "./inventory";

    /// <summary>Adds the query commands (<c>query</c>, <c>sql</c>, <c>diff</c>, <c>trend</c>) to the root command.</summary>
    public static void AddTo(RootCommand root)
    {
        root.Subcommands.Add(Create(() => TableCatalog.Default));
        root.Subcommands.Add(SqlCommand.Create(() => TableCatalog.Default, Console.In));
        root.Subcommands.Add(DiffCommand.Create(() => TableCatalog.Default, () => DateOnly.FromDateTime(DateTime.UtcNow)));
        root.Subcommands.Add(TrendCommand.Create(() => TableCatalog.Default, () => DateOnly.FromDateTime(DateTime.UtcNow)));
    }

    public static Option<string> StoreOption() => new("--store")
    {
        Description = "The store: a local directory in the store layout, or s3://bucket/prefix (read through a local cache that downloads only the files a query needs, each once).",
        DefaultValueFactory = _ => DefaultStore,
    };

    public static Option<string[]> WhereTagOption() => new("--where-tag")
    {
        Description = "Only resources tagged Key=Value (repeatable; ANDed). Every view of a table with a tags column is filtered; tables without tags stay whole in query, and are left out of diff and trend.",
        AllowMultipleArgumentsPerToken = false,
    };

    public static IReadOnlyList<TagFilter> Tags(ParseResult parse, Option<string[]> option) =>
        (parse.GetValue(option) ?? []).Select(TagFilter.Parse).ToArray();

    public static bool IsTerminal(TextWriter output) => ReferenceEquals(output, Console.Out) && !Console.IsOutputRedirected;

    public static Command Create(Func<TableCatalog> catalog, TextReader? stdin = null)
    {
        var sqlArg = new Argument<string?>("sql")
        {
            Description = "The SQL, a path to a .sql file, or - (or nothing) to read it from standard input.",
            Arity = ArgumentArity.ZeroOrOne,
        };
        var store = new StoreSelection();
        var format = new Option<string>("--format") { Description = "Output format.", DefaultValueFactory = _ => "table" };
        format.AcceptOnlyFromAmong(QueryResultWriter.Formats);
        var outFile = new Option<string?>("--out") { Description = "Write the result to this file instead of standard output (required for parquet)." };
        var whereTag = WhereTagOption();
        var command = new Command("query", "Run read-only SQL over every snapshot of the store (views aws_*, current_*, daily_*, distinct_*, daily_distinct_*, cloudinv_runs, cloudinv_errors).")
        {
            sqlArg, store.Store, store.CacheDirectory, store.EndpointUrl, format, outFile, whereTag,
        };
        command.SetAction(parse =>
        {
            var error = parse.InvocationConfiguration.Error;
            try
            {
                var sql = ReadSql(parse.GetValue(sqlArg), stdin ?? Console.In);
                var fmt = parse.GetValue(format)!;
                var path = parse.GetValue(outFile);
                if (fmt == "parquet" && path is null)
                {
                    error.WriteLine("--format parquet needs --out <file>.");
                    return 2;
                }
                using var db = InventoryDatabase.Open(store.Location(parse), catalog(), store.Options(parse, Tags(parse, whereTag), path));
                if (fmt == "parquet")
                {
                    var n = db.ExportParquet(sql, path!);
                    error.WriteLine($"{n} rows written to {path}");
                    return 0;
                }
                using var reader = db.ExecuteQuery(sql);
                if (path is null)
                {
                    var output = parse.InvocationConfiguration.Output;
                    QueryResultWriter.Write(reader, fmt, output, IsTerminal(output));
                }
                else
                {
                    using var file = new StreamWriter(path);
                    QueryResultWriter.Write(reader, fmt, file, terminal: false);
                }
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
