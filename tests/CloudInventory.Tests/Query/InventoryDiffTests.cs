using CloudInventory.Query;
using static CloudInventory.Tests.Query.SampleWorld;

namespace CloudInventory.Tests.Query;

public sealed class InventoryDiffTests : IDisposable
{
    private static readonly DateOnly Today = new(2026, 3, 3);
    private readonly TestStore _store = new();

    public void Dispose() => _store.Dispose();

    private DiffReport Diff(string from, string to, string? table = "aws_ec2_instances", bool summary = false, string? account = null, TagFilter? tag = null)
    {
        using var db = InventoryDatabase.Open(_store.Root, TestStore.Catalog, new InventoryDatabaseOptions { TagFilters = tag is null ? [] : [tag] });
        return InventoryDiff.Compute(db, new DiffOptions
        {
            From = SnapshotReference.Parse(from, Today), To = SnapshotReference.Parse(to, Today),
            TableGlob = table, SummaryOnly = summary, AccountId = account,
        });
    }

    [Fact]
    public void Finds_added_removed_and_changed_rows_with_their_changed_columns()
    {
        Build(_store);
        var report = Diff("2026-03-01", "2026-03-02");
        var t = Assert.Single(report.Tables);
        Assert.Equal("aws_ec2_instances", t.Table);
        Assert.Equal(["account_id", "region", "instance_id"], t.KeyColumns);
        Assert.Equal(1, t.AddedCount);
        Assert.Equal(1, t.RemovedCount);
        Assert.Equal(3, t.ChangedCount);
        Assert.Equal("i-7", Assert.Single(t.Added)["instance_id"]);
        Assert.Equal("i-6", Assert.Single(t.Removed)["instance_id"]);
        var byId = t.Changed.ToDictionary(c => c.Key["instance_id"]!);
        Assert.Equal(["i-2", "i-3", "i-4"], byId.Keys.Order());
        var state = Assert.Single(byId["i-2"].Columns);
        Assert.Equal(new ColumnChange("state", """{"code":16,"name":"running"}""", """{"code":80,"name":"stopped"}"""), state);
        var tags = Assert.Single(byId["i-3"].Columns);
        Assert.Equal("tags", tags.Column);
        Assert.Equal("""{"Application":"search","Owner":"ana"}""", tags.New);
        var bdm = Assert.Single(byId["i-4"].Columns);
        Assert.Equal("block_device_mappings", bdm.Column);
        Assert.Contains("vol-44", bdm.New, StringComparison.Ordinal);
    }

    [Fact]
    public void Ignores_report_time_and_the_order_of_map_entries()
    {
        Build(_store);
        var t = Assert.Single(Diff("2026-03-01", "2026-03-02").Tables);
        Assert.DoesNotContain(t.Changed, c => c.Key["instance_id"] == "i-1");
        Assert.Empty(Diff("2026-03-01", "2026-03-02", table: "aws_ec2_subnets").Tables);
    }

    [Fact]
    public void Reports_schema_changes_and_compares_the_common_columns()
    {
        Build(_store);
        var t = Assert.Single(Diff("2026-03-02", "now").Tables);
        Assert.Equal(["boot_mode"], t.ColumnsAdded);
        Assert.Equal(["kernel_id"], t.ColumnsRemoved);
        Assert.Equal(1, t.AddedCount);
        Assert.Equal(0, t.ChangedCount);
    }

    [Fact]
    public void Files_of_one_schema_are_scanned_without_unifying_and_files_of_two_schemas_are_unified()
    {
        Build(_store);
        using var db = InventoryDatabase.Open(_store.Root, TestStore.Catalog);
        var table = TestStore.Catalog.Find("aws_ec2_instances")!;
        var files = db.Runs.Select(r => r.Tables["aws_ec2_instances"].Single()).ToArray();
        // Days 1 and 2 have the same columns; day 3 dropped kernel_id and added boot_mode.
        var same = db.ScanUnifyingIfNeeded(table, files[..2], withFilename: true);
        var different = db.ScanUnifyingIfNeeded(table, files[1..], withFilename: true);
        Assert.DoesNotContain("union_by_name", same, StringComparison.Ordinal);
        Assert.Contains("union_by_name = true", different, StringComparison.Ordinal);
        Assert.Contains("union_by_name = true", db.ScanUnifyingIfNeeded(table, files, withFilename: true), StringComparison.Ordinal);
        using var cmd = db.Connection.CreateCommand();
        cmd.CommandText = $"SELECT count(*), count(DISTINCT filename) FROM ({same})";
        using var r = cmd.ExecuteReader();
        Assert.True(r.Read());
        Assert.Equal((12L, 2L), (Convert.ToInt64(r.GetValue(0), System.Globalization.CultureInfo.InvariantCulture), Convert.ToInt64(r.GetValue(1), System.Globalization.CultureInfo.InvariantCulture)));
    }

    [Fact]
    public void A_database_with_a_memory_budget_asks_duckdbs_allocator_to_return_freed_memory()
    {
        if (!OperatingSystem.IsLinux()) return; // DuckDB uses jemalloc on Linux only.
        Build(_store);
        using var db = InventoryDatabase.Open(_store.Root, TestStore.Catalog, new InventoryDatabaseOptions { MemoryLimitBytes = 128L * 1024 * 1024, Threads = 2 });
        // Set by the first such database in this process (or by the user, whose setting wins): jemalloc reads it at DuckDB's
        // first allocation, so a host (serve) opens a budgeted database first.
        Assert.NotNull(CloudInventory.Collection.Internal.NativeAllocator.Current(CloudInventory.Collection.Internal.NativeAllocator.DuckDbConfigVariable));
    }

    [Fact]
    public void Relative_dates_and_run_ids_resolve_to_runs()
    {
        var (run1, _, run3) = Build(_store);
        var report = Diff("2d", "now", summary: true);
        Assert.Equal(run1, report.From.RunId);
        Assert.Equal(run3, report.To.RunId);
        var byRun = Diff(run1[..16], run3);
        Assert.Equal(run1, byRun.From.RunId);
        var t = Assert.Single(report.Tables);
        Assert.Equal((2, 1, 3), (t.AddedCount, t.RemovedCount, t.ChangedCount));
        Assert.Empty(t.Changed);
    }

    [Fact]
    public void Filters_by_account_and_by_tag()
    {
        Build(_store);
        var a = Assert.Single(Diff("2026-03-01", "2026-03-02", account: A).Tables);
        Assert.Equal((0, 0, 2), (a.AddedCount, a.RemovedCount, a.ChangedCount));
        var tagged = Assert.Single(Diff("2026-03-01", "2026-03-02", tag: new TagFilter("Application", "checkout")).Tables);
        Assert.Equal((1, 0, 2), (tagged.AddedCount, tagged.RemovedCount, tagged.ChangedCount));
    }

    [Fact]
    public void Tables_a_run_did_not_collect_are_skipped_with_a_reason()
    {
        Build(_store);
        var report = Diff("2026-03-01", "2026-03-02", table: "*");
        Assert.Contains("aws_s3_buckets", report.Skipped.Keys);
        Assert.Equal(["aws_ec2_instances"], report.Tables.Select(t => t.Table));
    }

    [Fact]
    public void A_date_before_the_first_run_is_a_clear_error()
    {
        Build(_store);
        var e = Assert.Throws<InventoryQueryException>(() => Diff("2025-01-01", "now"));
        Assert.Contains("no run on or before 2025-01-01", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_run_compared_with_itself_has_no_differences()
    {
        Build(_store);
        Assert.Empty(Diff("now", "2026-03-03", table: "*").Tables);
    }

    [Fact]
    public void Rows_of_a_table_without_primary_key_are_added_or_removed_never_changed()
    {
        var table = TestStore.Catalog.Tables.First(t => t.PrimaryKey.Count == 0).Name;
        _store.AddRun(Day1, r => r.Table(table, $"SELECT * FROM (VALUES ('{A}', 'eu-west-1', 'a'), ('{A}', 'eu-west-1', 'b')) v(account_id, region, payload), (SELECT NULL::TIMESTAMPTZ AS report_time)"));
        _store.AddRun(Day2, r => r.Table(table, $"SELECT * FROM (VALUES ('{A}', 'eu-west-1', 'b'), ('{A}', 'eu-west-1', 'c')) v(account_id, region, payload), (SELECT NULL::TIMESTAMPTZ AS report_time)"), suffix: "b2c3d4");
        var t = Assert.Single(Diff("2026-03-01", "2026-03-02", table: table).Tables);
        Assert.Equal((1, 1, 0), (t.AddedCount, t.RemovedCount, t.ChangedCount));
        Assert.Contains("row_hash", t.KeyColumns);
        using var db = InventoryDatabase.Open(_store.Root, TestStore.Catalog);
        Assert.Equal([["3"]], InventoryDatabaseTests.Rows(db, $"SELECT count(*) FROM distinct_{table}"));
    }
}
