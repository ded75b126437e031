using System.CommandLine;
using System.Globalization;
using CloudInventory.Catalog;
using CloudInventory.Cli.Settings;
using CloudInventory.Query;
using Spectre.Console;

namespace CloudInventory.Cli.Commands;

/// <summary><c>cloudinv trend</c>: resource counts per day, as rows (table, csv, json, jsonl) or a chart.</summary>
internal static class TrendCommand
{
    private const string Bars = "▁▂▃▄▅▆▇█";
    private const int MaxGroups = 25;

    public static Command Create(Func<TableCatalog> catalog, Func<DateOnly> today)
    {
        var by = new Option<string>("--by") { Description = "Group by service, account, region, table, cloud, type (the resource type) or tag:<Key>.", DefaultValueFactory = _ => "service" };
        var since = new Option<string>("--since") { Description = $"The first day: a date or an age ({CloudInventory.Text.Age.Forms}).", DefaultValueFactory = _ => "90d" };
        var settings = new CommandSettings([.. StoreSelection.Settings,
            CliSettings.Tables with { Help = "Only tables matching these globs, e.g. 'aws_ec2_*'.", Greedy = false }])
            .WithFormats([.. QueryResultWriter.RowFormats, "chart"]);
        var command = new Command("trend", "Resource counts per day (the last run of each day), grouped by service, account, region, table, cloud, type or tag; --format chart draws them.")
        {
            by, since,
        };
        settings.AddTo(command);
        command.SetAction(parse =>
        {
            var output = parse.InvocationConfiguration.Output;
            var values = settings.Resolve(parse);
            var tables = values.List(CliSettings.Tables);
            if (tables.Count > 1) throw new CliUsageException($"trend takes one --table glob, got {tables.Count}");
            TrendOptions options;
            try
            {
                options = new TrendOptions
                {
                    TableGlob = tables.Count == 0 ? null : tables[0],
                    By = parse.GetValue(by)!,
                    Since = SnapshotReference.ParseSince(parse.GetValue(since)!, today()),
                };
            }
            catch (InventoryQueryException e)
            {
                throw new CliUsageException($"--since: {e.Message}", e);
            }
            using var db = StoreSelection.Open(values, catalog(), null, parse.InvocationConfiguration.Error);
            IReadOnlyList<TrendPoint> points;
            try
            {
                points = InventoryTrend.Compute(db, options);
            }
            catch (InventoryQueryException e)
            {
                throw new CliUsageException(e.Message, e);
            }
            if (values.Format == "chart")
            {
                WriteChart(points, options.By, output);
            }
            else
            {
                QueryResultWriter.WriteRows(["report_date", "group", "count", "carried", "not_observed"], points.Select(p => new object?[] { p.Date, p.Group, p.Count, p.Carried, p.NotObserved }).ToArray(), values.Format, output, values.Terminal);
            }
            return CliApp.Done;
        });
        return command;
    }

    /// <summary>One line per group: a sparkline over the days, then the first and last counts; and a bar chart of the last day.</summary>
    internal static void WriteChart(IReadOnlyList<TrendPoint> points, string by, TextWriter output)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(output) });
        if (points.Count == 0)
        {
            console.WriteLine("no data in the period");
            return;
        }
        var days = points.Select(p => p.Date).Distinct().Order().ToArray();
        var last = days[^1];
        var groups = points.GroupBy(p => p.Group, StringComparer.Ordinal)
            .Select(g => (Group: g.Key, Counts: g.ToDictionary(p => p.Date, p => p.Count)))
            .OrderByDescending(g => g.Counts.GetValueOrDefault(last)).ThenBy(g => g.Group, StringComparer.Ordinal).ToArray();
        var grid = new Spectre.Console.Table().Border(TableBorder.Simple)
            .Title($"resources per day by {Markup.Escape(by)}, {days[0]:yyyy-MM-dd} .. {last:yyyy-MM-dd}")
            .AddColumn(by).AddColumn("trend").AddColumn(new TableColumn("first").RightAligned()).AddColumn(new TableColumn("last").RightAligned()).AddColumn(new TableColumn("change").RightAligned());
        foreach (var (group, counts) in groups.Take(MaxGroups))
        {
            var series = days.Select(d => counts.GetValueOrDefault(d)).ToArray();
            var first = series.First(v => v > 0);
            var change = series[^1] - first;
            grid.AddRow(new Spectre.Console.Text(group), new Spectre.Console.Text(Sparkline(series), new Style(Color.Green)), new Spectre.Console.Text(first.ToString(CultureInfo.InvariantCulture)),
                new Spectre.Console.Text(series[^1].ToString(CultureInfo.InvariantCulture)), new Spectre.Console.Text((change >= 0 ? "+" : "") + change.ToString(CultureInfo.InvariantCulture)));
        }
        console.Write(grid);
        var chart = new BarChart().Label($"{last:yyyy-MM-dd}").Width(Math.Min(100, console.Profile.Width));
        var palette = new[] { Color.Blue, Color.Green, Color.Yellow, Color.Aqua, Color.Fuchsia, Color.Orange1, Color.Red };
        var i = 0;
        foreach (var (group, counts) in groups.Take(MaxGroups)) chart.AddItem(Markup.Escape(group), counts.GetValueOrDefault(last), palette[i++ % palette.Length]);
        console.Write(chart);
        if (groups.Length > MaxGroups) console.WriteLine($"({groups.Length - MaxGroups} smaller groups not shown; use --format csv for all)");
        // A unit a day's run did not observe counts its last observation: a gap in what is known, not a drop.
        foreach (var gap in points.Where(p => p.NotObserved is not null).GroupBy(p => p.Date).OrderBy(g => g.Key))
        {
            output.WriteLine($"gap {gap.Key:yyyy-MM-dd}: not observed (last observation counted): {string.Join(", ", gap.Select(p => p.NotObserved).Distinct())}");
        }
    }

    internal static string Sparkline(IReadOnlyList<long> series)
    {
        var min = series.Min();
        var max = series.Max();
        return string.Concat(series.Select(v => max == min ? Bars[3] : Bars[(int)((v - min) * (Bars.Length - 1) / (max - min))]));
    }
}
