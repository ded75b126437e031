using System.Text.Json;
using static CloudInventory.Tests.Query.SampleWorld;

namespace CloudInventory.Tests.Query;

public sealed class QueryCommandTests : IDisposable
{
    private readonly TestStore _store = new();

    public QueryCommandTests() => Build(_store);

    public void Dispose() => _store.Dispose();

    [Fact]
    public void Prints_a_table()
    {
        var (code, output, _) = CliRunner.Run("query", "SELECT instance_id, state.name AS state FROM current_aws_ec2_instances WHERE instance_id < 'i-3' ORDER BY 1", "--store", _store.Root, "--format", "table");
        Assert.Equal(0, code);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd()).ToArray();
        Assert.Equal(["instance_id  state", "-----------  -------", "i-1          running", "i-2          stopped", "(2 rows)"], lines);
    }

    [Fact]
    public void Prints_csv_and_json_with_nested_values()
    {
        var (_, csv, _) = CliRunner.Run("query", "SELECT instance_id, tags FROM current_aws_ec2_instances WHERE instance_id = 'i-3'", "--store", _store.Root, "--format", "csv");
        Assert.Equal("instance_id,tags\ni-3,\"{\"\"Application\"\":\"\"search\"\",\"\"Owner\"\":\"\"ana\"\"}\"\n", csv.ReplaceLineEndings("\n"));
        var (_, json, _) = CliRunner.Run("query", "SELECT instance_id, state, report_date FROM current_aws_ec2_instances WHERE instance_id = 'i-2'", "--store", _store.Root, "--format", "json");
        var row = JsonDocument.Parse(json).RootElement[0];
        Assert.Equal("stopped", row.GetProperty("state").GetProperty("name").GetString());
        Assert.Equal(80, row.GetProperty("state").GetProperty("code").GetInt32());
        Assert.Equal("2026-03-03", row.GetProperty("report_date").GetString());
    }

    [Fact]
    public void Writes_parquet_outside_the_store_and_reads_sql_files()
    {
        var dir = Path.Combine(Path.GetTempPath(), "cloudinv-qry-out-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(dir);
        try
        {
            var sqlFile = Path.Combine(dir, "q.sql");
            File.WriteAllText(sqlFile, "SELECT instance_id FROM current_aws_ec2_instances;\n");
            var outFile = Path.Combine(dir, "out.parquet");
            var (code, _, err) = CliRunner.Run("query", sqlFile, "--store", _store.Root, "--format", "parquet", "--out", outFile);
            Assert.Equal(0, code);
            Assert.Contains("7 rows", err, StringComparison.Ordinal);
            Assert.True(new FileInfo(outFile).Length > 0);
            var inside = CliRunner.Run("query", "SELECT 1", "--store", _store.Root, "--format", "parquet", "--out", Path.Combine(_store.Root, "x.parquet"));
            Assert.Equal(2, inside.Code);
            Assert.Contains("inside the store", inside.Err, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void Copy_and_attach_through_the_command_are_refused_and_leave_the_store_unchanged()
    {
        var before = _store.Hashes();
        var copy = CliRunner.Run("query", $"COPY (SELECT 1 AS x) TO '{_store.Root}/aws/ec2/instances/report_date=2026-03-03/20260303T060000Z-c3d4e5.parquet' (FORMAT parquet)", "--store", _store.Root);
        var attach = CliRunner.Run("query", $"ATTACH '{_store.Root}/x.duckdb' AS x; CREATE TABLE x.t AS SELECT 1", "--store", _store.Root);
        Assert.Equal((1, 1), (copy.Code, attach.Code));
        Assert.StartsWith("error: refused", copy.Err, StringComparison.Ordinal);
        Assert.StartsWith("error: refused", attach.Err, StringComparison.Ordinal);
        var reads = CliRunner.Run("query", "SELECT count(*) FROM aws_ec2_instances; SELECT * FROM cloudinv_runs; SELECT * FROM distinct_aws_ec2_subnets", "--store", _store.Root);
        Assert.Equal(0, reads.Code);
        Assert.Equal(before, _store.Hashes());
    }

    [Fact]
    public void Sql_errors_and_unknown_tables_exit_1_with_a_message_and_a_missing_store_exits_2()
    {
        var typo = CliRunner.Run("query", "SELECT * FROM aws_ec2_instancs", "--store", _store.Root);
        Assert.Equal(1, typo.Code);
        Assert.Contains("Did you mean \"aws_ec2_instances\"?", typo.Err, StringComparison.Ordinal);
        var syntax = CliRunner.Run("query", "SELECT FROM WHERE", "--store", _store.Root);
        Assert.Equal(1, syntax.Code);
        Assert.Contains("LINE 1:", syntax.Err, StringComparison.Ordinal);
        var missing = CliRunner.Run("query", "SELECT 1", "--store", Path.Combine(_store.Root, "nowhere"));
        Assert.Equal(2, missing.Code);
        Assert.Contains("does not exist", missing.Err, StringComparison.Ordinal);
    }

    [Fact]
    public void Where_tag_scopes_the_query()
    {
        var (code, output, _) = CliRunner.Run("query", "SELECT count(*) AS n FROM current_aws_ec2_instances", "--store", _store.Root, "--where-tag", "Application=search", "--format", "csv");
        Assert.Equal(0, code);
        Assert.Equal("n\n2\n", output.ReplaceLineEndings("\n"));
        var bad = CliRunner.Run("query", "SELECT 1", "--store", _store.Root, "--where-tag", "Application");
        Assert.Equal(2, bad.Code);
    }

    [Fact]
    public void Reads_sql_from_standard_input()
    {
        Assert.Equal("SELECT 42;", CloudInventory.Cli.Commands.QueryCommand.ReadSql("-", new StringReader("SELECT 42;")));
        Assert.Equal("SELECT 1", CloudInventory.Cli.Commands.QueryCommand.ReadSql("SELECT 1", new StringReader("")));
        Assert.Throws<CloudInventory.Query.InventoryQueryException>(() => CloudInventory.Cli.Commands.QueryCommand.ReadSql("missing.sql", new StringReader("")));
    }
}
