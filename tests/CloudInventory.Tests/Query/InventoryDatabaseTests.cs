using System.Globalization;
using CloudInventory.Query;
using static CloudInventory.Tests.Query.SampleWorld;

namespace CloudInventory.Tests.Query;

public sealed partial class InventoryDatabaseTests : IDisposable
{
    private readonly TestStore _store = new();

    public void Dispose() => _store.Dispose();

    internal static List<string[]> Rows(InventoryDatabase db, string sql)
    {
        using var r = db.ExecuteQuery(sql);
        var rows = new List<string[]>();
        while (r.Read())
        {
            var row = new string[r.FieldCount];
            for (var i = 0; i < r.FieldCount; i++) row[i] = r.IsDBNull(i) ? "NULL" : Convert.ToString(r.GetValue(i), CultureInfo.InvariantCulture)!;
            rows.Add(row);
        }
        return rows;
    }

    private InventoryDatabase Open(params TagFilter[] tags) =>
        InventoryDatabase.Open(_store.Root, TestStore.Catalog, new InventoryDatabaseOptions { TagFilters = tags });

    [Fact]
    public void Base_view_holds_every_snapshot_with_report_date_from_the_path()
    {
        Build(_store);
        using var db = Open();
        var rows = Rows(db, "SELECT strftime(report_date, '%Y-%m-%d'), count(*) FROM aws_ec2_instances GROUP BY 1 ORDER BY 1");
        Assert.Equal([["2026-03-01", "6"], ["2026-03-02", "6"], ["2026-03-03", "7"]], rows);
    }

    [Fact]
    public void Files_without_a_manifest_and_failed_runs_are_invisible()
    {
        Build(_store);
        _store.AddOrphan("aws_ec2_instances", Day3, Instances([("i-99", A, "subnet-pub", "running", "'Application': 'ghost'", "vol-99")], withKernel: false));
        _store.AddRun(Day3.AddHours(5), r => r.Table("aws_ec2_instances", Instances([("i-98", A, "s", "running", "'Application': 'ghost'", "v")], true)), status: "failed", suffix: "dead00");
        using var db = Open();
        Assert.Equal([["0"]], Rows(db, "SELECT count(*) FROM aws_ec2_instances WHERE instance_id IN ('i-98', 'i-99')"));
        Assert.Equal(3, db.Runs.Count);
        Assert.Equal([["4"]], Rows(db, "SELECT count(*) FROM cloudinv_runs"));
        Assert.Equal([["failed"]], Rows(db, "SELECT status FROM cloudinv_runs WHERE run_id LIKE '%dead00'"));
    }

    [Fact]
    public void Tables_without_data_are_empty_views_with_the_catalog_columns()
    {
        Build(_store);
        using var db = Open();
        Assert.Equal([["0"]], Rows(db, "SELECT count(*) FROM aws_lambda_functions"));
        Assert.Equal([["0"]], Rows(db, "SELECT count(*) FROM current_aws_s3_buckets"));
        var columns = Rows(db, "SELECT column_name, column_type FROM (DESCRIBE aws_s3_buckets)").ToDictionary(r => r[0], r => r[1]);
        Assert.Equal("MAP(VARCHAR, VARCHAR)", columns["tags"]);
        Assert.Equal("VARCHAR", columns["name"]);
        Assert.Equal("DATE", columns["report_date"]);
        Assert.Equal([["0"]], Rows(db, "SELECT count(*) FROM distinct_aws_lambda_functions JOIN daily_aws_lambda_functions USING (function_arn)"));
    }

    [Fact]
    public void Current_view_is_the_latest_run_and_daily_view_the_last_run_of_each_day()
    {
        Build(_store);
        _store.AddRun(Day3.AddHours(6), r => r.Table("aws_ec2_instances", Instances([("i-1", A, "subnet-pub", "running", "'Application': 'checkout'", "vol-1")], false)), suffix: "d4e5f6");
        using var db = Open();
        Assert.Equal([["i-1"]], Rows(db, "SELECT instance_id FROM current_aws_ec2_instances"));
        Assert.Equal([["2026-03-01", "6"], ["2026-03-02", "6"], ["2026-03-03", "1"]],
            Rows(db, "SELECT strftime(report_date, '%Y-%m-%d'), count(*) FROM daily_aws_ec2_instances GROUP BY 1 ORDER BY 1"));
        Assert.Equal([["2026-03-01", "6"], ["2026-03-02", "6"], ["2026-03-03", "7"]],
            Rows(db, "SELECT strftime(report_date, '%Y-%m-%d'), count(*) FROM daily_distinct_aws_ec2_instances GROUP BY 1 ORDER BY 1"));
    }

    [Fact]
    public void Current_view_is_empty_when_the_latest_run_saw_the_table_empty()
    {
        _store.AddRun(Day1, r => r.Table("aws_ec2_subnets", Subnets));
        _store.AddRun(Day2, r => r.Empty("aws_ec2_subnets"), suffix: "ffff01");
        using var db = Open();
        Assert.Equal([["0"]], Rows(db, "SELECT count(*) FROM current_aws_ec2_subnets"));
        Assert.Equal([["4"]], Rows(db, "SELECT count(*) FROM aws_ec2_subnets"));
    }

    [Fact]
    public void Distinct_view_keeps_the_latest_row_of_every_key_ever_seen()
    {
        Build(_store);
        using var db = Open();
        var rows = Rows(db, "SELECT instance_id, state.name, strftime(report_date, '%Y-%m-%d') FROM distinct_aws_ec2_instances ORDER BY 1");
        Assert.Equal(8, rows.Count);
        Assert.Equal(["i-2", "stopped", "2026-03-03"], rows[1]);
        Assert.Equal(["i-6", "running", "2026-03-01"], rows[5]);
    }

    [Fact]
    public void Files_with_a_column_added_or_removed_query_together()
    {
        Build(_store);
        using var db = Open();
        var rows = Rows(db, "SELECT strftime(report_date, '%Y-%m-%d'), count(kernel_id), count(boot_mode) FROM aws_ec2_instances GROUP BY 1 ORDER BY 1");
        Assert.Equal([["2026-03-01", "6", "0"], ["2026-03-02", "6", "0"], ["2026-03-03", "0", "7"]], rows);
    }

    [Fact]
    public void Answers_the_instances_with_their_application_tag()
    {
        Build(_store);
        using var db = Open();
        var rows = Rows(db, "SELECT instance_id, coalesce(tags['Application'], '-') FROM current_aws_ec2_instances ORDER BY 1");
        Assert.Equal([["i-1", "checkout"], ["i-2", "checkout"], ["i-3", "search"], ["i-4", "checkout"], ["i-5", "-"], ["i-7", "checkout"], ["i-8", "search"]], rows);
    }

    [Fact]
    public void Answers_the_running_instances_in_subnets_tagged_layer_public()
    {
        Build(_store);
        using var db = Open();
        var rows = Rows(db, """
            SELECT i.instance_id FROM current_aws_ec2_instances i
            JOIN current_aws_ec2_subnets s USING (account_id, region, subnet_id)
            WHERE i.state.name = 'running' AND s.tags['Layer'] = 'public' ORDER BY 1
            """);
        Assert.Equal([["i-1"], ["i-7"]], rows);
    }

    [Fact]
    public void Answers_instances_per_day_and_the_run_table()
    {
        Build(_store);
        using var db = Open();
        Assert.Equal([["6"], ["6"], ["7"]], Rows(db, "SELECT count(*) FROM daily_aws_ec2_instances GROUP BY report_date ORDER BY report_date"));
        Assert.Equal([["complete", "10", "0"], ["complete", "10", "1"], ["complete", "11", "0"]],
            Rows(db, "SELECT status, \"rows\", errors FROM cloudinv_runs ORDER BY run_id"));
        Assert.Equal([["aws_s3_buckets", "AccessDenied"]], Rows(db, "SELECT table_name, error_code FROM cloudinv_errors"));
    }

    [Fact]
    public void Tag_scope_filters_every_tagged_view()
    {
        Build(_store);
        using var db = Open(new TagFilter("Application", "checkout"));
        Assert.Equal([["i-1"], ["i-2"], ["i-4"], ["i-7"]], Rows(db, "SELECT instance_id FROM current_aws_ec2_instances ORDER BY 1"));
        Assert.Equal([["subnet-b-priv"]], Rows(db, "SELECT DISTINCT subnet_id FROM aws_ec2_subnets"));
        Assert.Equal([["4"]], Rows(db, "SELECT count(*) FROM distinct_aws_ec2_instances"));
    }

    [Fact]
    public void Shards_of_a_run_make_one_snapshot()
    {
        _store.AddRun(Day1, r => r.Table("aws_ec2_instances", Instances([("i-1", A, "s", "running", "'Application': 'x'", "v")], true)), shard: "1/2");
        _store.AddRun(Day1, r => r.Table("aws_ec2_instances", Instances([("i-2", B, "s", "running", "'Application': 'x'", "v")], true)), shard: "2/2");
        using var db = Open();
        Assert.Single(db.Runs);
        Assert.Equal([["2"]], Rows(db, "SELECT count(*) FROM current_aws_ec2_instances"));
        Assert.Equal([["2"]], Rows(db, "SELECT count(*) FROM cloudinv_runs"));
    }

    [Fact]
    public void A_missing_store_and_an_empty_store_give_clear_errors()
    {
        var missing = Assert.Throws<InventoryQueryException>(() => InventoryDatabase.Open(Path.Combine(_store.Root, "nope"), TestStore.Catalog));
        Assert.Contains("does not exist", missing.Message, StringComparison.Ordinal);
        var empty = Assert.Throws<InventoryQueryException>(() => InventoryDatabase.Open(_store.Root, TestStore.Catalog));
        Assert.Contains("is empty", empty.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Sql_errors_carry_duckdbs_message_and_position()
    {
        Build(_store);
        using var db = Open();
        var syntax = Assert.Throws<InventoryQueryException>(() => Rows(db, "SELECT instance_id FROM aws_ec2_instances WHERE"));
        Assert.Contains("syntax error", syntax.Message, StringComparison.Ordinal);
        Assert.Contains("LINE 1:", syntax.Message, StringComparison.Ordinal);
        var column = Assert.Throws<InventoryQueryException>(() => Rows(db, "SELECT instanceid FROM aws_ec2_instances"));
        Assert.Contains("instanceid", column.Message, StringComparison.Ordinal);
        Assert.Contains("^", column.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_table_gets_a_did_you_mean()
    {
        Build(_store);
        using var db = Open();
        var e = Assert.Throws<InventoryQueryException>(() => Rows(db, "SELECT * FROM current_aws_ec2_instance"));
        Assert.Equal("current_aws_ec2_instances", e.Suggestion);
        Assert.Contains("Did you mean \"current_aws_ec2_instances\"?", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("pg_", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("COPY (SELECT * FROM aws_ec2_instances) TO '{store}/aws/ec2/instances/report_date=2026-03-01/20260301T060000Z-a1b2c3.parquet' (FORMAT parquet)")]
    [InlineData("COPY aws_ec2_instances TO '{store}/x.csv'")]
    [InlineData("ATTACH '{store}/evil.duckdb' AS evil")]
    [InlineData("SELECT 1; ATTACH '{store}/evil.duckdb' AS evil; CREATE TABLE evil.t AS SELECT 1")]
    [InlineData("EXPORT DATABASE '{store}/export'")]
    [InlineData("INSTALL httpfs")]
    [InlineData("LOAD httpfs")]
    [InlineData("SET enable_external_access = true")]
    [InlineData("PRAGMA enable_profiling")]
    [InlineData("CREATE TABLE t AS SELECT 1")]
    [InlineData("CREATE OR REPLACE VIEW aws_ec2_instances AS SELECT 1")]
    [InlineData("DROP VIEW cloudinv_runs")]
    [InlineData("INSERT INTO cloudinv_runs (run_id) VALUES ('x')")]
    [InlineData("DELETE FROM cloudinv_runs")]
    [InlineData("CALL pragma_version()")]
    public void Statements_that_could_write_are_refused_and_the_store_is_unchanged(string statement)
    {
        Build(_store);
        var before = _store.Hashes();
        using var db = Open();
        var sql = statement.Replace("{store}", _store.Root, StringComparison.Ordinal);
        var e = Assert.Throws<InventoryQueryException>(() => Rows(db, sql));
        Assert.StartsWith("refused", e.Message, StringComparison.Ordinal);
        Assert.Equal(before, _store.Hashes());
        Assert.Equal([["3"]], Rows(db, "SELECT count(*) FROM cloudinv_runs"));
    }

    [Fact]
    public void Memory_limit_and_threads_are_set_before_the_configuration_is_locked()
    {
        Build(_store);
        using (var db = InventoryDatabase.Open(_store.Root, TestStore.Catalog, new InventoryDatabaseOptions { MemoryLimitBytes = 48L * 1024 * 1024, Threads = 1 }))
        {
            Assert.Equal([["48.0 MiB", "1", "false", "false"]], Rows(db,
                "SELECT current_setting('memory_limit'), current_setting('threads')::VARCHAR, current_setting('parquet_metadata_cache')::VARCHAR, current_setting('enable_external_file_cache')::VARCHAR"));
            // Locked: not even the library's own connection can raise them afterwards (a query could not either).
            using var cmd = db.Connection.CreateCommand();
            cmd.CommandText = "SET memory_limit = '8GB'";
            var e = Assert.ThrowsAny<Exception>(() => cmd.ExecuteNonQuery());
            Assert.Contains("locked", e.Message, StringComparison.OrdinalIgnoreCase);
            Assert.Equal([["48.0 MiB"]], Rows(db, "SELECT current_setting('memory_limit')"));
            Assert.Equal([["7"]], Rows(db, "SELECT count(*) FROM aws_ec2_instances WHERE report_date = DATE '2026-03-03'"));
        }
        // Without the options, DuckDB's defaults (80% of the machine's memory, one thread per core).
        using var defaults = Open();
        Assert.NotEqual([["48.0 MiB", "1"]], Rows(defaults, "SELECT current_setting('memory_limit'), current_setting('threads')::VARCHAR"));
        Assert.Equal([["true"]], Rows(defaults, "SELECT current_setting('parquet_metadata_cache')::VARCHAR"));
    }

    [Fact]
    public void Reading_files_outside_the_store_is_denied()
    {
        Build(_store);
        using var db = Open();
        var e = Assert.Throws<InventoryQueryException>(() => Rows(db, "SELECT * FROM read_csv('/etc/hostname')"));
        Assert.Contains("Permission Error", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Reading_statements_are_allowed()
    {
        Build(_store);
        using var db = Open();
        Assert.NotEmpty(Rows(db, "DESCRIBE aws_ec2_instances"));
        Assert.NotEmpty(Rows(db, "SUMMARIZE current_aws_ec2_subnets"));
        Assert.NotEmpty(Rows(db, "EXPLAIN SELECT * FROM aws_ec2_instances"));
        Assert.Equal([["7"]], Rows(db, "WITH c AS (FROM current_aws_ec2_instances) SELECT count(*) FROM c"));
    }

    [Fact]
    public void Opening_a_store_creates_no_table_view_until_one_is_mentioned()
    {
        Build(_store);
        using var db = Open();
        Assert.Equal([["0"]], Rows(db, "SELECT count(*) FROM duckdb_views() WHERE NOT internal AND view_name LIKE '%aws_%'"));
        Rows(db, "SELECT count(*) FROM current_aws_ec2_instances");
        Assert.Equal([["current_aws_ec2_instances"]], Rows(db, "SELECT view_name FROM duckdb_views() WHERE NOT internal AND view_name LIKE '%aws_%'"));
    }
}
