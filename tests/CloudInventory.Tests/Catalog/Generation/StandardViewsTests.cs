using System.Globalization;
using CloudInventory.Catalog;
using CloudInventory.Catalog.Generation;
using DuckDB.NET.Data;

namespace CloudInventory.Tests.Catalog.Generation;

public sealed class StandardViewsTests : IDisposable
{
    private const string One = "111111111111";
    private const string Two = "222222222222";
    private readonly string _store = Directory.CreateTempSubdirectory("cloudinv-views-").FullName;
    private readonly DuckDBConnection _db = new("DataSource=:memory:");

    public StandardViewsTests() => _db.Open();

    public void Dispose()
    {
        _db.Dispose();
        Directory.Delete(_store, recursive: true);
    }

    // Three runs over two days. Day 1: run A sees k1, k2 in account one and b1 in account two (complete); run B sees
    // k1 and fails in account two (partial). Day 2: run C sees k1, k3 and fails in account two again. A killed run left
    // a file without a manifest on day 2 (key kx).
    private static readonly Run[] s_runs =
    [
        new("20260101T080000Z-aaaaaa", "2026-01-01", "2026-01-01 08:00:00+00", "complete", [(One, "ok", ["k1", "k2"]), (Two, "ok", ["b1"])]),
        new("20260101T200000Z-bbbbbb", "2026-01-01", "2026-01-01 20:00:00+00", "partial", [(One, "ok", ["k1"]), (Two, "error", [])]),
        new("20260102T090000Z-cccccc", "2026-01-02", "2026-01-02 09:00:00+00", "partial", [(One, "ok", ["k1", "k3"]), (Two, "error", [])]),
    ];

    private sealed record Run(string Id, string Date, string Time, string Status, (string Account, string Status, string[] Keys)[] Units);

    public static TheoryData<string, string> KeyedTables => new()
    {
        { "aws_ec2_instances", "duckdb" }, { "aws_ec2_instances", "athena" },
        { "aws_s3_buckets", "duckdb" }, { "aws_s3_buckets", "athena" },
        { "aws_route53_record_sets", "duckdb" }, { "aws_route53_record_sets", "athena" },
        { "aws_cloudfront_cache_policies", "duckdb" }, { "aws_cloudfront_cache_policies", "athena" },
        { "aws_ecs_services", "duckdb" },
    };

    [Theory]
    [MemberData(nameof(KeyedTables))]
    public void Views_keep_the_last_observation_of_a_failed_unit_and_hide_files_without_a_manifest(string name, string dialectName)
    {
        var dialect = dialectName == "athena" ? SqlDialect.Athena : SqlDialect.DuckDb;
        var table = TableCatalog.Default.Find(name)!;
        WriteRuns(table);
        CreateViews(table, dialect);
        Assert.Equal(6, Count(table.Name));
        Assert.Equal(["b1", "k1", "k3"], Keys("current_" + table.Name, table));
        // b1 was last observed by run A: current_ carries it with its own report time.
        Assert.Equal("2026-01-01 08:00:00", Time($"current_{table.Name}", table, "b1"));
        Assert.Equal("2026-01-02 09:00:00", Time($"current_{table.Name}", table, "k1"));
        Assert.Equal(5, Count("daily_" + table.Name));
        Assert.Equal(2, Scalar($"SELECT count(*) FROM \"daily_{table.Name}\" WHERE CAST(report_date AS VARCHAR) = '2026-01-01'"));
        Assert.Equal(["b1", "k1", "k2", "k3"], Keys("distinct_" + table.Name, table));
        Assert.Equal("2026-01-01 08:00:00", Time($"distinct_{table.Name}", table, "k2"));
        Assert.Equal("2026-01-02 09:00:00", Time($"distinct_{table.Name}", table, "k1"));
        Assert.Equal(5, Count("daily_distinct_" + table.Name));
        Assert.Equal(table.Columns.Count + 1, Scalar($"SELECT count(*) FROM (DESCRIBE \"daily_distinct_{table.Name}\")"));
        Assert.Equal(table.Columns.Count + 1, Scalar($"SELECT count(*) FROM (DESCRIBE \"current_{table.Name}\")"));
    }

    [Fact]
    public void Daily_units_name_the_units_a_run_did_not_observe()
    {
        var table = TableCatalog.Default.Find("aws_ec2_instances")!;
        WriteRuns(table);
        CreateViews(table, SqlDialect.DuckDb);
        var units = Rows($"SELECT CAST(report_date AS VARCHAR), account_id, run_id, source_run_id, observed, latest FROM {StandardViews.DailyUnitsView} ORDER BY 1, 2");
        Assert.Equal(
        [
            ["2026-01-01", One, s_runs[1].Id, s_runs[1].Id, "True", "False"],
            ["2026-01-01", Two, s_runs[1].Id, s_runs[0].Id, "False", "False"],
            ["2026-01-02", One, s_runs[2].Id, s_runs[2].Id, "True", "True"],
            ["2026-01-02", Two, s_runs[2].Id, s_runs[0].Id, "False", "True"],
        ], units);
    }

    [Fact]
    public void A_table_with_one_row_per_account_and_region_keeps_the_latest()
    {
        var table = TableCatalog.Default.Find("aws_iam_password_policies")!;
        Assert.Empty(table.PrimaryKey);
        WriteRuns(table);
        CreateViews(table, SqlDialect.DuckDb);
        Assert.Equal(2, Count("current_" + table.Name));
        Assert.Equal(2, Count("distinct_" + table.Name));
        Assert.Equal(3, Count("daily_distinct_" + table.Name));
    }

    [Fact]
    public void A_discovered_table_without_a_key_is_told_apart_by_its_values()
    {
        var table = TableCatalog.Default.Discovered.First(t => t.PrimaryKey.Count == 0);
        WriteRuns(table);
        CreateViews(table, SqlDialect.DuckDb);
        Assert.Equal(2, Count("current_" + table.Name));
        // Every row of a discovered key-less table here has the same values but the account: one per account.
        Assert.Equal(2, Count("distinct_" + table.Name));
        Assert.Contains("json_format(CAST(ROW(", StandardViews.Distinct(table, SqlDialect.Athena, daily: false), StringComparison.Ordinal);
    }

    [Fact]
    public void Renders_every_view_of_every_table_in_both_dialects()
    {
        foreach (var dialect in new[] { SqlDialect.Athena, SqlDialect.DuckDb })
        {
            var text = StandardViews.Render(TableCatalog.Default.Tables, dialect);
            foreach (var table in TableCatalog.Default.Tables)
            {
                Assert.Contains($"CREATE OR REPLACE VIEW \"{table.Name}\" AS", text, StringComparison.Ordinal);
                foreach (var prefix in StandardViews.Prefixes) Assert.Contains($"CREATE OR REPLACE VIEW \"{prefix}{table.Name}\" AS", text, StringComparison.Ordinal);
            }
        }
    }

    // One Parquet file per run (each row's key, account and time; other columns typed NULLs), the runs' manifests as
    // the run relations, and an orphan file.
    private void WriteRuns(Table table)
    {
        var keyless = table.PrimaryKey.Count == 0;
        foreach (var run in s_runs.Append(new Run("20260102T100000Z-dddddd", "2026-01-02", "2026-01-02 10:00:00+00", "none", [(One, "ok", ["kx"])])))
        {
            var dir = Path.Combine(_store, $"report_date={run.Date}");
            Directory.CreateDirectory(dir);
            var rows = run.Units.SelectMany(u => (keyless ? u.Keys.Take(1) : u.Keys).Select(k => $"('{u.Account}', '{k}')")).ToArray();
            var select = string.Join(", ", table.Columns.Select(c => $"{Value(table, c, run.Time)} AS \"{c.Name}\""));
            var file = Path.Combine(dir, run.Id + ".parquet");
            Execute($"COPY (SELECT {select} FROM (VALUES {string.Join(", ", rows)}) AS v(a, k)) TO '{file}' (FORMAT parquet)");
        }
        Execute($"CREATE TABLE {StandardViews.RunTablesView} (run_id VARCHAR, shard VARCHAR, report_date DATE, report_time TIMESTAMPTZ, run_status VARCHAR, table_name VARCHAR, account_id VARCHAR, region VARCHAR, \"rows\" BIGINT, status VARCHAR)");
        Execute($"CREATE TABLE {StandardViews.RunFilesView} (run_id VARCHAR, shard VARCHAR, report_date DATE, report_time TIMESTAMPTZ, run_status VARCHAR, table_name VARCHAR, path VARCHAR, file_name VARCHAR, \"rows\" BIGINT)");
        foreach (var run in s_runs)
        {
            foreach (var (account, status, keys) in run.Units)
            {
                Execute($"INSERT INTO {StandardViews.RunTablesView} VALUES ('{run.Id}', NULL, DATE '{run.Date}', TIMESTAMPTZ '{run.Time}', '{run.Status}', '{table.Name}', '{account}', 'eu-west-1', {keys.Length}, '{status}')");
            }
            Execute($"INSERT INTO {StandardViews.RunFilesView} VALUES ('{run.Id}', NULL, DATE '{run.Date}', TIMESTAMPTZ '{run.Time}', '{run.Status}', '{table.Name}', 'report_date={run.Date}/{run.Id}.parquet', '{run.Id}.parquet', 1)");
        }
    }

    private void CreateViews(Table table, SqlDialect dialect)
    {
        var scan = $"read_parquet('{_store}/*/*.parquet', hive_partitioning = true, union_by_name = true, filename = true)";
        Execute($"CREATE VIEW \"{StandardViews.FilesRelation(table)}\" AS " + (dialect == SqlDialect.Athena ? $"SELECT * EXCLUDE (filename), filename AS \"$path\" FROM {scan}" : $"SELECT * FROM {scan}"));
        Execute($"CREATE TABLE {StandardViews.DailyUnitsView} AS {StandardViews.DailyUnits()}");
        foreach (var statement in StandardViews.Render([table], dialect).Split(";\n", StringSplitOptions.RemoveEmptyEntries))
        {
            var sql = string.Join('\n', statement.Split('\n').Where(l => !l.StartsWith("--", StringComparison.Ordinal)));
            if (sql.Trim().Length > 0) Execute(sql);
        }
    }

    // Keys take the row's key value; the system columns their own; everything else is a typed NULL.
    private static string Value(Table table, Column column, string time)
    {
        switch (column.Name)
        {
            case "account_id": return "v.a";
            case "region": return "'eu-west-1'";
            case "report_time": return $"TIMESTAMPTZ '{time}'";
        }
        var key = table.PrimaryKey.FirstOrDefault(k => k == column.Name || k.StartsWith(column.Name + ".", StringComparison.Ordinal));
        return key is null ? $"NULL::{column.Type.ToDuckDbType()}" : KeyValue(column.Type, key.Split('.').Skip(1).ToArray());
    }

    private static string KeyValue(ColumnType type, string[] path)
    {
        if (path.Length == 0) return type.Kind == ColumnKind.String ? "v.k" : $"hash(v.k)::{type.ToDuckDbType()}";
        var fields = type.Fields.Select(f => f.Name == path[0]
            ? $"\"{f.Name}\" := {KeyValue(f.Type, path[1..])}"
            : $"\"{f.Name}\" := NULL::{f.Type.ToDuckDbType()}");
        return $"struct_pack({string.Join(", ", fields)})";
    }

    private static string KeyExpression(Table table) => string.Join('.', table.PrimaryKey[^1].Split('.').Select(p => $"\"{p}\""));

    private string[] Keys(string view, Table table) =>
        Rows($"SELECT DISTINCT {KeyExpression(table)} AS k FROM \"{view}\" ORDER BY k").Select(r => r[0]).ToArray();

    private string Time(string view, Table table, string key) =>
        Rows($"SELECT strftime(report_time AT TIME ZONE 'UTC', '%Y-%m-%d %H:%M:%S') FROM \"{view}\" WHERE {KeyExpression(table)} = '{key}'").Single()[0];

    private long Count(string view) => Scalar($"SELECT count(*) FROM \"{view}\"");

    private long Scalar(string sql)
    {
        using var cmd = _db.CreateCommand();
        cmd.CommandText = sql;
        return Convert.ToInt64(cmd.ExecuteScalar(), CultureInfo.InvariantCulture);
    }

    private List<string[]> Rows(string sql)
    {
        using var cmd = _db.CreateCommand();
        cmd.CommandText = sql;
        using var reader = cmd.ExecuteReader();
        var rows = new List<string[]>();
        while (reader.Read())
        {
            rows.Add(Enumerable.Range(0, reader.FieldCount).Select(i => reader.IsDBNull(i) ? "NULL" : Convert.ToString(reader.GetValue(i), CultureInfo.InvariantCulture)!).ToArray());
        }
        return rows;
    }

    private void Execute(string sql)
    {
        using var cmd = _db.CreateCommand();
        cmd.CommandText = sql;
        cmd.ExecuteNonQuery();
    }
}
