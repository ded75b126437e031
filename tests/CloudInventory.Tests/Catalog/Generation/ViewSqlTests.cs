using System.Globalization;
using CloudInventory.Catalog;
using CloudInventory.Catalog.Generation;
using DuckDB.NET.Data;

namespace CloudInventory.Tests.Catalog.Generation;

public sealed class ViewSqlTests : IDisposable
{
    private readonly string _store = Directory.CreateTempSubdirectory("cloudinv-views-").FullName;
    private readonly DuckDBConnection _db = new("DataSource=:memory:");

    public ViewSqlTests() => _db.Open();

    public void Dispose()
    {
        _db.Dispose();
        Directory.Delete(_store, recursive: true);
    }

    // Three runs over two days. Day 1: run A sees k1, k2; run B sees k1 only. Day 2: run C sees k1, k3.
    private static readonly (string Date, string Time, string[] Keys)[] s_runs =
    [
        ("2026-01-01", "2026-01-01 08:00:00+00", ["k1", "k2"]),
        ("2026-01-01", "2026-01-01 20:00:00+00", ["k1"]),
        ("2026-01-02", "2026-01-02 09:00:00+00", ["k1", "k3"]),
    ];

    [Theory]
    [InlineData("aws_ec2_instances", SqlDialect.DuckDb)]
    [InlineData("aws_ec2_instances", SqlDialect.Athena)]
    [InlineData("aws_s3_buckets", SqlDialect.DuckDb)]
    [InlineData("aws_s3_buckets", SqlDialect.Athena)]
    [InlineData("aws_route53_record_sets", SqlDialect.DuckDb)]
    [InlineData("aws_route53_record_sets", SqlDialect.Athena)]
    [InlineData("aws_cloudfront_cache_policies", SqlDialect.DuckDb)]
    [InlineData("aws_cloudfront_cache_policies", SqlDialect.Athena)]
    [InlineData("aws_ecs_services", SqlDialect.DuckDb)]
    public void Views_run_against_parquet_written_with_the_derived_schema(string name, SqlDialect dialect)
    {
        var table = TableCatalog.Default.Find(name)!;
        WriteRuns(table);
        CreateViews(table, dialect);
        Assert.Equal(5, Count(table.Name));
        Assert.Equal(2, Count("current_" + table.Name));
        Assert.Equal(["k1", "k3"], Keys("current_" + table.Name, table));
        Assert.Equal(3, Count("daily_" + table.Name));
        Assert.Equal(["k1", "k2", "k3"], Keys("distinct_" + table.Name, table));
        // k2 was last seen by run A; k1 by run C.
        Assert.Equal("2026-01-01 08:00:00", Scalar($"SELECT strftime(report_time AT TIME ZONE 'UTC', '%Y-%m-%d %H:%M:%S') FROM \"distinct_{table.Name}\" WHERE {KeyExpression(table)} = 'k2'"));
        Assert.Equal("2026-01-02 09:00:00", Scalar($"SELECT strftime(report_time AT TIME ZONE 'UTC', '%Y-%m-%d %H:%M:%S') FROM \"distinct_{table.Name}\" WHERE {KeyExpression(table)} = 'k1'"));
        Assert.Equal("2026-01-01 20:00:00", Scalar($"SELECT strftime(report_time AT TIME ZONE 'UTC', '%Y-%m-%d %H:%M:%S') FROM \"daily_distinct_{table.Name}\" WHERE {KeyExpression(table)} = 'k1' AND report_date = DATE '2026-01-01'"));
        Assert.Equal(4, Count("daily_distinct_" + table.Name));
        Assert.Equal(table.Columns.Count + 1, Columns("daily_distinct_" + table.Name));
    }

    [Fact]
    public void A_table_with_one_row_per_account_and_region_keeps_the_latest()
    {
        var table = TableCatalog.Default.Find("aws_iam_password_policies")!;
        Assert.Empty(table.PrimaryKey);
        WriteRuns(table);
        CreateViews(table, SqlDialect.DuckDb);
        Assert.Equal(2, Count("current_" + table.Name));
        Assert.Equal(1, Count("distinct_" + table.Name));
        Assert.Equal(2, Count("daily_distinct_" + table.Name));
    }

    [Fact]
    public void A_discovered_table_without_a_key_gets_distinct_views_only_in_duckdb()
    {
        var table = TableCatalog.Default.Discovered.First(t => t.PrimaryKey.Count == 0);
        Assert.Null(ViewSql.View(table, "distinct_", SqlDialect.Athena));
        WriteRuns(table);
        CreateViews(table, SqlDialect.DuckDb);
        Assert.Equal(2, Count("current_" + table.Name));
        Assert.True(Count("distinct_" + table.Name) >= 1);
    }

    [Fact]
    public void Renders_every_view_of_every_table_in_both_dialects()
    {
        foreach (var table in TableCatalog.Default.Tables)
        {
            foreach (var prefix in ViewSql.Prefixes)
            {
                Assert.NotNull(ViewSql.View(table, prefix, SqlDialect.DuckDb));
                if (table.PrimaryKey.Count > 0 || table.Origin == TableOrigin.Curated || prefix is "current_" or "daily_")
                {
                    Assert.NotNull(ViewSql.View(table, prefix, SqlDialect.Athena));
                }
            }
        }
    }

    private void WriteRuns(Table table)
    {
        var n = 0;
        foreach (var (date, time, keys) in s_runs)
        {
            var dir = Path.Combine(_store, $"report_date={date}");
            Directory.CreateDirectory(dir);
            var values = string.Join(", ", keys.Select(k => $"('{k}')"));
            var select = string.Join(", ", table.Columns.Select(c => $"{Value(table, c, time)} AS \"{c.Name}\""));
            Execute($"COPY (SELECT {select} FROM (VALUES {values}) AS v(k)) TO '{Path.Combine(dir, $"run{n++}.parquet")}' (FORMAT parquet)");
        }
    }

    private void CreateViews(Table table, SqlDialect dialect)
    {
        Execute($"CREATE VIEW \"{table.Name}\" AS SELECT * FROM read_parquet('{_store}/*/*.parquet', hive_partitioning = true, union_by_name = true)");
        foreach (var prefix in ViewSql.Prefixes)
        {
            Execute($"CREATE VIEW \"{prefix}{table.Name}\" AS {ViewSql.View(table, prefix, dialect)}");
        }
    }

    // Keys take the row's key value; the system columns their own; everything else is a typed NULL.
    private static string Value(Table table, Column column, string time)
    {
        switch (column.Name)
        {
            case "account_id": return "'123456789012'";
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

    private string[] Keys(string view, Table table)
    {
        using var cmd = _db.CreateCommand();
        cmd.CommandText = $"SELECT DISTINCT {KeyExpression(table)} AS k FROM \"{view}\" ORDER BY k";
        using var reader = cmd.ExecuteReader();
        var keys = new List<string>();
        while (reader.Read()) keys.Add(reader.GetString(0));
        return keys.ToArray();
    }

    private long Count(string view) => Convert.ToInt64(Scalar($"SELECT count(*) FROM \"{view}\""), CultureInfo.InvariantCulture);

    private long Columns(string view) => Convert.ToInt64(Scalar($"SELECT count(*) FROM (DESCRIBE \"{view}\")"), CultureInfo.InvariantCulture);

    private object? Scalar(string sql)
    {
        using var cmd = _db.CreateCommand();
        cmd.CommandText = sql;
        return cmd.ExecuteScalar();
    }

    private void Execute(string sql)
    {
        using var cmd = _db.CreateCommand();
        cmd.CommandText = sql;
        cmd.ExecuteNonQuery();
    }
}
