using System.Diagnostics;
using System.Globalization;
using CloudInventory.Catalog;
using CloudInventory.Query;

namespace CloudInventory.Benchmarks;

/// <summary>
/// The year-of-history benchmark (issue 6), end to end: generates 365 daily snapshots at 100,000
/// resources a day, then measures, each on a freshly opened <see cref="InventoryDatabase"/> (as one
/// CLI invocation would, minus process start and catalog load): the resource count per day per
/// service over the year, the current snapshot filtered by tag, the diff of two days of
/// aws_ec2_instances at 100k rows, and bytes on disk per resource-day. Deletes the data afterwards
/// unless <c>--keep</c>.
/// <code>dotnet run -c Release --project bench/CloudInventory.Benchmarks -- history [--days 365] [--per-day 100000] [--dir DIR] [--keep] [--reuse]</code>
/// </summary>
internal static class HistoryBenchmark
{
    private const int Repeats = 5;

    public static int Run(string[] args)
    {
        var days = Arg(args, "--days", 365);
        var perDay = Arg(args, "--per-day", 100_000);
        var dir = ArgText(args, "--dir") ?? Path.Combine(Path.GetTempPath(), "cloudinv-history-bench");
        var keep = args.Contains("--keep");
        var reuse = args.Contains("--reuse") && Directory.Exists(Path.Combine(dir, "year", "_runs"));
        var year = Path.Combine(dir, "year");
        var pair = Path.Combine(dir, "diff");
        try
        {
            if (!reuse)
            {
                if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
                Console.WriteLine($"generating {days} days x {perDay:N0} resources into {year}");
                var gen = HistoryGenerator.Generate(year, days, perDay, log: Console.WriteLine);
                Console.WriteLine($"generated {(long)days * perDay:N0} rows in {gen.TotalSeconds:F1} s");
                var genPair = HistoryGenerator.Generate(pair, 2, 100_000, ["aws_ec2_instances"]);
                Console.WriteLine($"generated 2 days x 100,000 aws_ec2_instances in {genPair.TotalSeconds:F1} s");
            }

            var sw = Stopwatch.StartNew();
            var catalog = TableCatalog.Default;
            Console.WriteLine($"catalog load: {sw.ElapsedMilliseconds} ms ({catalog.Tables.Count} tables; paid once per process)");

            var results = new List<(string What, double[] Ms, string Answer)>();
            results.Add(Measure("open the store (365 manifests)", () =>
            {
                using var db = InventoryDatabase.Open(year, catalog);
                return $"{db.Runs.Count} runs";
            }));
            results.Add(Measure("resource count per day per service, whole year", () =>
            {
                using var db = InventoryDatabase.Open(year, catalog);
                var points = InventoryTrend.Compute(db, new TrendOptions { By = "service" });
                return $"{points.Count} points, {points.Select(p => p.Date).Distinct().Count()} days, last day {points.Where(p => p.Date == points[^1].Date).Sum(p => p.Count):N0} resources";
            }));
            results.Add(Measure("current snapshot filtered by tag (ec2 instances, Application=app-7)", () =>
            {
                using var db = InventoryDatabase.Open(year, catalog, new InventoryDatabaseOptions { TagFilters = [new TagFilter("Application", "app-7")] });
                using var r = db.ExecuteQuery("SELECT instance_id, instance_type, state.name, tags['Owner'] FROM current_aws_ec2_instances");
                var n = 0;
                while (r.Read()) n++;
                return $"{n:N0} rows";
            }));
            results.Add(Measure("current snapshot filtered by tag, all 5 tables (count)", () =>
            {
                using var db = InventoryDatabase.Open(year, catalog);
                using var r = db.ExecuteQuery(string.Join(" UNION ALL ", HistoryGenerator.Tables.Select(t => $"SELECT count(*) FROM current_{t.Table} WHERE tags['Application'] = 'app-7'")));
                long n = 0;
                while (r.Read()) n += r.GetInt64(0);
                return $"{n:N0} resources";
            }));
            results.Add(Measure("diff of two days of aws_ec2_instances, 100k rows/day", () => Diff(pair, catalog)));
            results.Add(Measure("diff of two days, all 5 tables of the year store (first vs last day)", () =>
            {
                using var db = InventoryDatabase.Open(year, catalog);
                var report = InventoryDiff.Compute(db, new DiffOptions
                {
                    From = SnapshotReference.Parse(HistoryGenerator.FirstDay.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), DateOnly.MaxValue),
                    To = SnapshotReference.Parse("now", DateOnly.MaxValue),
                    SummaryOnly = true,
                });
                return string.Join(", ", report.Tables.Select(t => $"{t.Table[4..]} +{t.AddedCount}/-{t.RemovedCount}/~{t.ChangedCount}"));
            }));

            var parquet = Directory.EnumerateFiles(year, "*.parquet", SearchOption.AllDirectories).Select(f => new FileInfo(f).Length).ToArray();
            var totalBytes = parquet.Sum();
            var resourceDays = (long)days * perDay;
            Console.WriteLine();
            Console.WriteLine("| measurement | min ms | median ms | answer |");
            Console.WriteLine("|---|---:|---:|---|");
            foreach (var (what, ms, answer) in results)
            {
                var sorted = ms.Order().ToArray();
                Console.WriteLine($"| {what} | {sorted[0]:F0} | {sorted[sorted.Length / 2]:F0} | {answer} |");
            }
            Console.WriteLine($"| bytes on disk | | | {totalBytes / 1e9:F2} GB in {parquet.Length} files = {(double)totalBytes / resourceDays:F1} bytes per resource-day |");
            return 0;
        }
        finally
        {
            if (!keep && Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
        }
    }

    private static string Diff(string store, TableCatalog catalog)
    {
        using var db = InventoryDatabase.Open(store, catalog);
        var report = InventoryDiff.Compute(db, new DiffOptions
        {
            From = SnapshotReference.Parse(HistoryGenerator.FirstDay.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), DateOnly.MaxValue),
            To = SnapshotReference.Parse("now", DateOnly.MaxValue),
        });
        var t = report.Tables.Single();
        return $"+{t.AddedCount} -{t.RemovedCount} ~{t.ChangedCount} ({t.Changed.Sum(c => c.Columns.Count)} column changes listed)";
    }

    /// <summary>One warm-up, then <see cref="Repeats"/> timed runs.</summary>
    private static (string, double[], string) Measure(string what, Func<string> run)
    {
        var answer = run();
        var ms = new double[Repeats];
        for (var i = 0; i < Repeats; i++)
        {
            var sw = Stopwatch.StartNew();
            run();
            ms[i] = sw.Elapsed.TotalMilliseconds;
        }
        Console.WriteLine($"{what}: {ms.Min():F0} ms min, {ms.Order().ElementAt(Repeats / 2):F0} ms median -> {answer}");
        return (what, ms, answer);
    }

    private static int Arg(string[] args, string name, int fallback) =>
        ArgText(args, name) is { } v ? int.Parse(v, CultureInfo.InvariantCulture) : fallback;

    private static string? ArgText(string[] args, string name)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }
}
