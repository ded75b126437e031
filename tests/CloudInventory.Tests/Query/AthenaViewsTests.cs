using System.Globalization;
using CloudInventory.Aws.Credentials;
using CloudInventory.Catalog;
using CloudInventory.Catalog.Generation;
using CloudInventory.Collection;
using CloudInventory.Query;
using CloudInventory.Simulator;
using DuckDB.NET.Data;

namespace CloudInventory.Tests.Query;

/// <summary>
/// The generated Athena views, run in DuckDB over a collected store the way Athena would see it (every Parquet file under
/// a table's folder as <c>files_&lt;table&gt;</c> with a <c>"$path"</c> column, the run manifests as <c>cloudinv_runs</c>),
/// give the rows the CLI gives: over a run collected in two shards, a run in which one account's units were denied
/// (their last observation stands), and the orphan file of a killed run.
/// </summary>
public sealed class AthenaViewsTests : IAsyncLifetime
{
    private static readonly DateOnly First = new(2026, 5, 1);
    private static readonly string[] s_tables = ["aws_ec2_instances", "aws_ec2_subnets", "aws_s3_buckets", "aws_iam_roles"];
    private readonly string _store = Directory.CreateTempSubdirectory("cloudinv-athena-").FullName;
    private SimulatedCloud _cloud = null!;
    private readonly SimulatorOptions _options = new() { Seed = 5, Accounts = 2, Regions = ["us-east-1", "eu-west-1"] };

    public async Task InitializeAsync()
    {
        _cloud = await SimulatedCloud.StartAsync(_options);
        // Day 1: one run. Day 2: one run in two shards. Day 3: a run in which S3 is denied to one account.
        var accounts = (await CollectAsync(First, null, null)).Accounts;
        var shardedRun = "20260502T060000Z-5ba4d0";
        await CollectAsync(First.AddDays(1), "1/2", shardedRun);
        await CollectAsync(First.AddDays(1), "2/2", shardedRun);
        _options.AccessDenied.Add((accounts[^1], "s3"));
        await CollectAsync(First.AddDays(2), null, null);
        // A killed run: its data file was published, its manifest never written.
        var day3 = Path.Combine(_store, "aws", "ec2", "instances", "report_date=2026-05-03");
        File.Copy(Directory.GetFiles(day3, "*.parquet").Single(), Path.Combine(day3, "20260503T230000Z-dead00.parquet"));
    }

    private async Task<CollectionResult> CollectAsync(DateOnly day, string? shard, string? runId)
    {
        _cloud.Date = day;
        var result = await new InventoryCollector().RunAsync(new CollectOptions
        {
            Credentials = AwsCredentialSource.Static(_cloud.ManagementAccessKey, _cloud.SecretFor(_cloud.ManagementAccessKey)),
            EndpointUrl = _cloud.Endpoint,
            Organization = true,
            RoleName = "inventory",
            Tables = s_tables,
            Store = _store,
            RateMultiplier = 100,
            Shard = shard,
            RunId = runId,
            ReportTime = new DateTimeOffset(day.ToDateTime(new TimeOnly(6, 0), DateTimeKind.Utc)),
        });
        Assert.Equal(0, result.ExitCode);
        return result;
    }

    public async Task DisposeAsync()
    {
        await _cloud.DisposeAsync();
        Directory.Delete(_store, recursive: true);
    }

    [Fact]
    public void Athena_views_run_in_duckdb_give_the_rows_of_the_cli()
    {
        using var cli = InventoryDatabase.Open(_store, TableCatalog.Default);
        using var athena = new DuckDBConnection("DataSource=:memory:");
        athena.Open();
        CreateAthenaView(athena);
        var compared = 0;
        foreach (var name in s_tables)
        {
            var table = TableCatalog.Default.Find(name)!;
            foreach (var view in StandardViews.Prefixes.Prepend("").Select(p => p + name))
            {
                var expected = Rows(cli.Connection, view, cli);
                var actual = Rows(athena, view, null);
                Assert.True(expected.Count > 0, $"{view} has no rows");
                Assert.True(expected.SequenceEqual(actual), $"{view}: the CLI has {expected.Count} rows, the Athena views {actual.Count}; first difference: " +
                    (expected.Except(actual).FirstOrDefault() ?? actual.Except(expected).FirstOrDefault()));
                compared += expected.Count;
            }
        }
        // The footprint view, generated for Athena from the same definition, gives the CLI's rows too.
        var footprint = Rows(cli.Connection, StandardViews.ResourcesView, cli);
        Assert.True(footprint.Count > 0 && footprint.SequenceEqual(Rows(athena, StandardViews.ResourcesView, null)), "cloudinv_resources differs between the CLI and the Athena views");
        Assert.True(compared > 100);
        // The denied account's buckets are in current_ with the report time of day 2; the orphan file is nowhere.
        var carried = Scalar(athena, "SELECT count(*) FROM current_aws_s3_buckets WHERE report_time < TIMESTAMPTZ '2026-05-03 00:00:00+00'");
        Assert.True(carried > 0);
        Assert.Equal(0, Scalar(athena, "SELECT count(*) FROM (SELECT regexp_extract(\"$path\", '[^/]+$') AS f FROM files_aws_ec2_instances) x WHERE f LIKE '%dead00%' AND f IN (SELECT file_name FROM cloudinv_run_files)"));
        Assert.True(Scalar(athena, "SELECT count(*) FROM files_aws_ec2_instances WHERE \"$path\" LIKE '%dead00%'") > 0);
    }

    // The relations Athena has (Glue tables over every file, the manifests through the Ion SerDe: report_date as text),
    // the run relations unnested in DuckDB's dialect (the only statements not in Athena's), then the generated Athena views.
    private void CreateAthenaView(DuckDBConnection athena)
    {
        var columns = string.Join(", ", StandardViews.RunsColumns.Select(c => $"'{c.Name}': '{c.Type.ToDuckDbType().Replace("'", "''", StringComparison.Ordinal)}'"));
        Execute(athena, $"CREATE VIEW {StandardViews.RunsTable} AS SELECT * FROM read_json('{_store}/_runs/report_date=*/*.json', columns = {{{columns}}}, hive_partitioning = true, hive_types = {{'report_date': VARCHAR}})");
        Execute(athena, $"CREATE VIEW {StandardViews.RunTablesView} AS {StandardViews.RunTables(SqlDialect.DuckDb)}");
        Execute(athena, $"CREATE VIEW {StandardViews.RunFilesView} AS {StandardViews.RunFiles(SqlDialect.DuckDb)}");
        var tables = s_tables.Select(n => TableCatalog.Default.Find(n)!).ToArray();
        foreach (var table in tables)
        {
            Execute(athena, $"CREATE VIEW \"{StandardViews.FilesRelation(table)}\" AS SELECT * EXCLUDE (filename), filename AS \"$path\" FROM read_parquet('{_store}/aws/{table.Service}/{table.Resource}/*/*.parquet', " +
                "hive_partitioning = true, hive_types = {'report_date': VARCHAR}, union_by_name = true, filename = true)");
        }
        var runViews = File.ReadAllText(Path.Combine(RepositoryRoot.Path, "deploy", "athena", "views", "cloudinv.sql"));
        var daily = Statements(runViews).Single(s => s.Contains($"VIEW \"{StandardViews.DailyUnitsView}\"", StringComparison.Ordinal));
        Execute(athena, daily);
        foreach (var statement in Statements(StandardViews.Render(tables, SqlDialect.Athena))) Execute(athena, statement);
        foreach (var statement in Statements(StandardViews.RenderResources(tables, SqlDialect.Athena))) Execute(athena, statement);
    }

    private static IEnumerable<string> Statements(string file) =>
        file.Split(";\n", StringSplitOptions.RemoveEmptyEntries)
            .Select(s => string.Join('\n', s.Split('\n').Where(l => !l.StartsWith("--", StringComparison.Ordinal))).Trim())
            .Where(s => s.Length > 0);

    // Every row as JSON text (the dates as text: Athena's are strings), sorted.
    private static List<string> Rows(DuckDBConnection connection, string view, InventoryDatabase? cli)
    {
        cli?.EnsureViewsFor(view);
        using var cmd = connection.CreateCommand();
        cmd.CommandText = $"SELECT to_json(x)::VARCHAR FROM (SELECT * REPLACE (CAST(report_date AS VARCHAR) AS report_date) FROM \"{view}\") x ORDER BY 1";
        using var reader = cmd.ExecuteReader();
        var rows = new List<string>();
        while (reader.Read()) rows.Add(reader.GetString(0));
        return rows;
    }

    private static long Scalar(DuckDBConnection connection, string sql)
    {
        using var cmd = connection.CreateCommand();
        cmd.CommandText = sql;
        return Convert.ToInt64(cmd.ExecuteScalar(), CultureInfo.InvariantCulture);
    }

    private static void Execute(DuckDBConnection connection, string sql)
    {
        using var cmd = connection.CreateCommand();
        cmd.CommandText = sql;
        cmd.ExecuteNonQuery();
    }
}
