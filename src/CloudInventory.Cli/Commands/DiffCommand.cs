using System.CommandLine;
using System.Text.Json;
using CloudInventory.Catalog;
using CloudInventory.Query;

namespace CloudInventory.Cli.Commands;

/// <summary><c>cloudinv diff</c>: what was added, removed and changed between two snapshots.</summary>
internal static class DiffCommand
{
    public static Command Create(Func<TableCatalog> catalog, Func<DateOnly> today)
    {
        var from = new Option<string>("--from") { Description = "The older snapshot: a date (YYYY-MM-DD), a run id, or an age such as 7d, 2w, 1m, 1y.", Required = true };
        var to = new Option<string>("--to") { Description = "The newer snapshot: a date, a run id, an age, or now.", DefaultValueFactory = _ => "now" };
        var table = new Option<string?>("--table") { Description = "Only tables matching this glob, e.g. 'aws_ec2_*' or 'ec2_instances'." };
        var account = new Option<string?>("--account") { Description = "Only this account id." };
        var region = new Option<string?>("--region") { Description = "Only this region." };
        var summary = new Option<bool>("--summary") { Description = "Counts per table only." };
        var format = new Option<string>("--format") { Description = "Output format.", DefaultValueFactory = _ => "table" };
        format.AcceptOnlyFromAmong("table", "csv", "json");
        var store = new StoreSelection();
        var whereTag = QueryCommand.WhereTagOption();
        var command = new Command("diff", "What changed between two snapshots: rows added, removed and changed per table (by primary key), with the changed columns.")
        {
            from, to, table, account, region, summary, format, store.Store, store.CacheDirectory, store.EndpointUrl, whereTag,
        };
        command.SetAction(parse =>
        {
            var error = parse.InvocationConfiguration.Error;
            var output = parse.InvocationConfiguration.Output;
            try
            {
                var day = today();
                var options = new DiffOptions
                {
                    From = SnapshotReference.Parse(parse.GetValue(from)!, day),
                    To = SnapshotReference.Parse(parse.GetValue(to)!, day),
                    TableGlob = parse.GetValue(table),
                    AccountId = parse.GetValue(account),
                    Region = parse.GetValue(region),
                    SummaryOnly = parse.GetValue(summary),
                };
                using var db = InventoryDatabase.Open(store.Location(parse), catalog(), store.Options(parse, QueryCommand.Tags(parse, whereTag)));
                var report = InventoryDiff.Compute(db, options);
                switch (parse.GetValue(format))
                {
                    case "json": WriteJson(report, output); break;
                    case "csv": WriteCsv(report, output); break;
                    default: WriteText(report, output, options.SummaryOnly); break;
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

    private static string Key(IReadOnlyDictionary<string, string?> key) => string.Join(" ", key.Values.Select(v => v ?? "NULL"));

    internal static void WriteText(DiffReport report, TextWriter output, bool summary)
    {
        output.WriteLine($"from {report.From.RunId} ({report.From.ReportDate:yyyy-MM-dd})  to {report.To.RunId} ({report.To.ReportDate:yyyy-MM-dd})");
        if (report.Tables.Count == 0) output.WriteLine("no differences");
        if (summary)
        {
            var rows = report.Tables.Select(t => new object?[] { t.Table, t.AddedCount, t.RemovedCount, t.ChangedCount }).ToArray();
            if (rows.Length > 0) QueryResultWriter.WriteTable(["table", "added", "removed", "changed"], rows, output, terminal: false);
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

    private static void WriteCsv(DiffReport report, TextWriter output)
    {
        var rows = new List<object?[]>();
        foreach (var t in report.Tables)
        {
            rows.AddRange(t.Added.Select(k => new object?[] { t.Table, "added", Key(k), null, null, null }));
            rows.AddRange(t.Removed.Select(k => new object?[] { t.Table, "removed", Key(k), null, null, null }));
            rows.AddRange(t.Changed.SelectMany(c => c.Columns.Select(col => new object?[] { t.Table, "changed", Key(c.Key), col.Column, col.Old, col.New })));
            if (t.Added.Count + t.Removed.Count + t.Changed.Count == 0)
            {
                rows.Add([t.Table, "summary", $"{t.AddedCount} added, {t.RemovedCount} removed, {t.ChangedCount} changed", null, null, null]);
            }
        }
        rows.AddRange(report.NotCompared.Select(u => new object?[] { u.Table, "not compared", $"{u.AccountId} {u.Region}", null, u.Reason, null }));
        QueryResultWriter.WriteCsv(["table", "change", "key", "column", "old", "new"], rows, output);
    }

    private static void WriteJson(DiffReport report, TextWriter output)
    {
        var doc = new
        {
            from = new { run_id = report.From.RunId, report_date = report.From.ReportDate.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture) },
            to = new { run_id = report.To.RunId, report_date = report.To.ReportDate.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture) },
            tables = report.Tables.Select(t => new
            {
                table = t.Table,
                key_columns = t.KeyColumns,
                added = t.AddedCount,
                removed = t.RemovedCount,
                changed = t.ChangedCount,
                columns_added = t.ColumnsAdded,
                columns_removed = t.ColumnsRemoved,
                added_rows = t.Added,
                removed_rows = t.Removed,
                changed_rows = t.Changed.Select(c => new { key = c.Key, columns = c.Columns.Select(col => new { column = col.Column, old = col.Old, @new = col.New }) }),
            }),
            skipped = report.Skipped,
            not_compared = report.NotCompared.Select(u => new { table = u.Table, account_id = u.AccountId, region = u.Region, reason = u.Reason }),
        };
        output.WriteLine(JsonSerializer.Serialize(doc, new JsonSerializerOptions { WriteIndented = true }));
    }
}
