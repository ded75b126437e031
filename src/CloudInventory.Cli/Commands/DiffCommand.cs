using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using CloudInventory.Catalog;
using CloudInventory.Cli.Settings;
using CloudInventory.Query;

namespace CloudInventory.Cli.Commands;

/// <summary>
/// <c>cloudinv diff</c>: what was added, removed and changed between two snapshots. Exit codes: 0 done, 1 the store's
/// files could not be read, 2 bad options (a reference in the future, --from after --to) or a store that cannot be used.
/// </summary>
internal static class DiffCommand
{
    public static Command Create(Func<TableCatalog> catalog, Func<DateTimeOffset> now)
    {
        var from = new Option<string>("--from") { Description = $"The older snapshot: {SnapshotReference.Forms}.", Required = true };
        var to = new Option<string>("--to") { Description = "The newer snapshot (same forms); default now.", DefaultValueFactory = _ => "now" };
        var summary = new Option<bool>("--summary") { Description = "Counts per table only." };
        var settings = new CommandSettings([.. StoreSelection.Settings,
            CliSettings.Tables with { Help = "Only tables matching these globs, e.g. 'aws_ec2_*' or 'ec2_instances'.", Greedy = false },
            CliSettings.Accounts with { Help = "Only this account id.", Greedy = false },
            CliSettings.Regions with { Help = "Only this region.", Greedy = false }]).WithFormats(QueryResultWriter.RowFormats);
        var command = new Command("diff", "What changed between two snapshots: rows added, removed and changed per table (by primary key), with the changed columns.")
        {
            from, to, summary,
        };
        settings.AddTo(command);
        command.SetAction(parse =>
        {
            var output = parse.InvocationConfiguration.Output;
            var values = settings.Resolve(parse);
            var moment = now();
            SnapshotReference fromRef, toRef;
            try
            {
                fromRef = SnapshotReference.Parse(parse.GetValue(from)!, moment);
                toRef = SnapshotReference.Parse(parse.GetValue(to)!, moment);
            }
            catch (InventoryQueryException e)
            {
                throw new CliUsageException($"{(e.Message.Contains(parse.GetValue(from)!, StringComparison.Ordinal) ? "--from" : "--to")}: {e.Message}", e);
            }
            var options = new DiffOptions
            {
                From = fromRef,
                To = toRef,
                TableGlob = Single(values, CliSettings.Tables),
                AccountId = Single(values, CliSettings.Accounts),
                Region = Single(values, CliSettings.Regions),
                SummaryOnly = parse.GetValue(summary),
            };
            using var db = StoreSelection.Open(values, catalog(), null, parse.InvocationConfiguration.Error);
            var runs = db.Runs.Where(r => r.IsVisible).ToArray();
            InventoryRun older, newer;
            try
            {
                older = fromRef.Resolve(runs);
                newer = toRef.Resolve(runs);
            }
            catch (InventoryQueryException e)
            {
                throw new CliUsageException(e.Message, e);
            }
            if (Array.IndexOf(runs, older) > Array.IndexOf(runs, newer))
            {
                throw new CliUsageException($"--from {fromRef} (run {older.RunId}) is after --to {toRef} (run {newer.RunId}); swap them");
            }
            DiffReport report;
            try
            {
                report = InventoryDiff.Compute(db, options);
            }
            catch (InventoryQueryException e)
            {
                parse.InvocationConfiguration.Error.WriteLine("error: " + CliApp.OneLine(e.Message));
                return CliApp.Failed;
            }
            catch (DuckDB.NET.Data.DuckDBException e)
            {
                parse.InvocationConfiguration.Error.WriteLine($"error: the diff could not read the store's files: {CliApp.OneLine(e.Message)}");
                return CliApp.Failed;
            }
            var cat = catalog();
            switch (values.Format)
            {
                case "json": QueryResultWriter.WriteDocument(Document(report, cat), output); break;
                case "table" when !options.SummaryOnly: WriteText(report, output, summary: false); break;
                default:
                    var (columns, rows) = options.SummaryOnly ? SummaryRows(report) : ChangeRows(report, cat);
                    if (values.Format == "table") output.WriteLine($"from {report.From.RunId} ({Day(report.From.ReportDate)})  to {report.To.RunId} ({Day(report.To.ReportDate)})");
                    QueryResultWriter.WriteRows(columns, rows, values.Format, output, values.Terminal);
                    if (values.Format == "table")
                    {
                        foreach (var (name, reason) in report.Skipped) output.WriteLine($"skipped {name}: {reason}");
                        foreach (var unit in report.NotCompared) output.WriteLine($"not compared {unit}");
                    }
                    break;
            }
            return CliApp.Done;
        });
        return command;
    }

    private static string? Single(SettingValues values, Setting setting)
    {
        var list = values.List(setting);
        return list.Count switch
        {
            0 => null,
            1 => list[0],
            _ => throw new CliUsageException($"diff takes one value for {setting.Flag} ({values.SourceOf(setting)}), got {list.Count}"),
        };
    }

    private static string Day(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static string Key(IReadOnlyDictionary<string, string?> key) => string.Join(" ", key.Values.Select(v => v ?? "NULL"));

    internal static void WriteText(DiffReport report, TextWriter output, bool summary)
    {
        output.WriteLine($"from {report.From.RunId} ({Day(report.From.ReportDate)})  to {report.To.RunId} ({Day(report.To.ReportDate)})");
        if (report.Tables.Count == 0) output.WriteLine("no differences");
        if (summary)
        {
            var (columns, rows) = SummaryRows(report);
            if (rows.Count > 0) QueryResultWriter.WriteTable(columns, rows, output, terminal: false);
        }
        else
        {
            foreach (var t in report.Tables)
            {
                output.WriteLine();
                output.WriteLine($"{t.Table}: {t.AddedCount} added, {t.RemovedCount} removed, {t.ChangedCount} changed   (key: {string.Join(", ", t.KeyColumns)})");
                if (t.ColumnsAdded.Count > 0) output.WriteLine($"  columns added: {string.Join(", ", t.ColumnsAdded)}");
                if (t.ColumnsRemoved.Count > 0) output.WriteLine($"  columns removed: {string.Join(", ", t.ColumnsRemoved)}");
                foreach (var k in t.Added) output.WriteLine($"  + {Key(k)}");
                foreach (var k in t.Removed) output.WriteLine($"  - {Key(k)}");
                foreach (var c in t.Changed)
                {
                    output.WriteLine($"  ~ {Key(c.Key)}");
                    foreach (var col in c.Columns) output.WriteLine($"      {col.Column}: {col.Old ?? "NULL"} -> {col.New ?? "NULL"}");
                }
            }
        }
        foreach (var (name, reason) in report.Skipped) output.WriteLine($"skipped {name}: {reason}");
        foreach (var unit in report.NotCompared) output.WriteLine($"not compared {unit}");
    }

    /// <summary>One row per table with its three counts as columns.</summary>
    internal static (string[] Columns, List<object?[]> Rows) SummaryRows(DiffReport report) =>
        (["table", "added", "removed", "changed"], report.Tables.Select(t => new object?[] { t.Table, t.AddedCount, t.RemovedCount, t.ChangedCount }).ToList());

    /// <summary>One row per added or removed key and per changed column, values typed as the catalog says.</summary>
    internal static (string[] Columns, List<object?[]> Rows) ChangeRows(DiffReport report, TableCatalog catalog)
    {
        var rows = new List<object?[]>();
        foreach (var t in report.Tables)
        {
            var table = catalog.Find(t.Table);
            rows.AddRange(t.Added.Select(k => new object?[] { t.Table, "added", Key(k), null, null, null }));
            rows.AddRange(t.Removed.Select(k => new object?[] { t.Table, "removed", Key(k), null, null, null }));
            rows.AddRange(t.Changed.SelectMany(c => c.Columns.Select(col => new object?[] { t.Table, "changed", Key(c.Key), col.Column, Typed(table, col.Column, col.Old), Typed(table, col.Column, col.New) })));
        }
        rows.AddRange(report.NotCompared.Select(u => new object?[] { u.Table, "not compared", $"{u.AccountId} {u.Region}", null, u.Reason, null }));
        return (["table", "change", "key", "column", "old", "new"], rows);
    }

    private static JsonObject Document(DiffReport report, TableCatalog catalog)
    {
        static JsonArray Keys(IEnumerable<IReadOnlyDictionary<string, string?>> keys) =>
            new([.. keys.Select(k => (JsonNode)new JsonObject(k.Select(p => KeyValuePair.Create(p.Key, (JsonNode?)p.Value))))]);
        return new JsonObject
        {
            ["from"] = new JsonObject { ["run_id"] = report.From.RunId, ["report_date"] = Day(report.From.ReportDate) },
            ["to"] = new JsonObject { ["run_id"] = report.To.RunId, ["report_date"] = Day(report.To.ReportDate) },
            ["tables"] = new JsonArray([.. report.Tables.Select(t =>
            {
                var table = catalog.Find(t.Table);
                return (JsonNode)new JsonObject
                {
                    ["table"] = t.Table,
                    ["key_columns"] = new JsonArray([.. t.KeyColumns.Select(c => (JsonNode)c)]),
                    ["added"] = t.AddedCount,
                    ["removed"] = t.RemovedCount,
                    ["changed"] = t.ChangedCount,
                    ["columns_added"] = new JsonArray([.. t.ColumnsAdded.Select(c => (JsonNode)c)]),
                    ["columns_removed"] = new JsonArray([.. t.ColumnsRemoved.Select(c => (JsonNode)c)]),
                    ["added_rows"] = Keys(t.Added),
                    ["removed_rows"] = Keys(t.Removed),
                    ["changed_rows"] = new JsonArray([.. t.Changed.Select(c => (JsonNode)new JsonObject
                    {
                        ["key"] = Keys([c.Key])[0]!.DeepClone(),
                        ["columns"] = new JsonArray([.. c.Columns.Select(col => (JsonNode)new JsonObject
                        {
                            ["column"] = col.Column,
                            ["old"] = Typed(table, col.Column, col.Old),
                            ["new"] = Typed(table, col.Column, col.New),
                        })]),
                    })]),
                };
            })]),
            ["skipped"] = new JsonObject(report.Skipped.Select(p => KeyValuePair.Create(p.Key, (JsonNode?)p.Value))),
            ["not_compared"] = new JsonArray([.. report.NotCompared.Select(u => (JsonNode)new JsonObject
            {
                ["table"] = u.Table, ["account_id"] = u.AccountId, ["region"] = u.Region, ["reason"] = u.Reason,
            })]),
        };
    }

    /// <summary>A diff value (text) as JSON of its column's type: nested values as JSON, numbers as numbers, booleans as booleans.</summary>
    internal static JsonNode? Typed(Table? table, string column, string? text)
    {
        if (text is null) return null;
        var kind = table?.Columns.FirstOrDefault(c => c.Name == column)?.Type.Kind;
        try
        {
            switch (kind)
            {
                case ColumnKind.Struct or ColumnKind.List or ColumnKind.Map or ColumnKind.Json:
                    return JsonNode.Parse(text);
                case ColumnKind.Int32 or ColumnKind.Int64 when long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n):
                    return n;
                case ColumnKind.Double when double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && double.IsFinite(d):
                    return d;
                case ColumnKind.Bool when bool.TryParse(text, out var b):
                    return b;
            }
        }
        catch (System.Text.Json.JsonException)
        {
            // Not JSON after all: keep the text.
        }
        return text;
    }
}
