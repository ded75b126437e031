using CloudInventory.Cli.Commands;
using CloudInventory.Query;
using static CloudInventory.Tests.Query.SampleWorld;

namespace CloudInventory.Tests.Query;

public sealed class SqlCommandTests : IDisposable
{
    private readonly TestStore _store = new();

    public void Dispose() => _store.Dispose();

    [Fact]
    public void Runs_statements_across_lines_and_shell_commands_until_quit()
    {
        Build(_store);
        using var db = InventoryDatabase.Open(_store.Root, TestStore.Catalog);
        var input = new StringReader("SELECT count(*) AS n\nFROM current_aws_ec2_instances;\n.tables\nSELECT * FROM nope;\nCOPY cloudinv_runs TO 'x.csv';\n.quit\nSELECT 1;\n");
        var output = new StringWriter();
        var error = new StringWriter();
        var history = new List<string>();
        SqlCommand.Run(db, _ => input.ReadLine(), output, error, history, interactive: false);
        Assert.Contains("n\n-\n7\n(1 row)", output.ToString().ReplaceLineEndings("\n"), StringComparison.Ordinal);
        Assert.Contains("aws_ec2_instances\naws_ec2_subnets\n", output.ToString().ReplaceLineEndings("\n"), StringComparison.Ordinal);
        Assert.Contains("does not exist", error.ToString(), StringComparison.Ordinal);
        Assert.Contains("refused", error.ToString(), StringComparison.Ordinal);
        Assert.Equal(3, history.Count);
        Assert.DoesNotContain("SELECT 1", string.Join("|", history), StringComparison.Ordinal);
    }

    private (int Code, string Out, string Err) RunShell(string script, params string[] args)
    {
        var root = new System.CommandLine.RootCommand { SqlCommand.Create(() => TestStore.Catalog, new StringReader(script)) };
        var output = new StringWriter();
        var error = new StringWriter();
        var code = root.Parse(["sql", "--store", _store.Root, .. args]).Invoke(new System.CommandLine.InvocationConfiguration { Output = output, Error = error });
        return (code, output.ToString().ReplaceLineEndings("\n"), error.ToString());
    }

    [Fact]
    public void Dot_commands_switch_the_mode_show_the_schema_and_time_statements()
    {
        Build(_store);
        var (code, output, err) = RunShell(".mode csv\nSELECT instance_id\nFROM current_aws_ec2_instances\nWHERE instance_id = 'i-1';\n.mode jsonl\nSELECT 'café <b>' AS t;\n.schema current_aws_ec2_instances\n.timer on\nSELECT 1 AS one;\n");
        Assert.True(code == 0, err);
        Assert.Contains("instance_id\ni-1\n", output, StringComparison.Ordinal);
        Assert.Contains("{\"t\":\"café <b>\"}\n", output, StringComparison.Ordinal);
        Assert.Contains("CREATE VIEW current_aws_ec2_instances (\n", output, StringComparison.Ordinal);
        Assert.Contains("\n  instance_id VARCHAR", output, StringComparison.Ordinal);
        Assert.Matches(@"Run Time \(s\): real \d+\.\d{3}", output);
    }

    [Fact]
    public void A_failed_statement_in_piped_input_makes_the_exit_code_1_and_bail_stops_there()
    {
        Build(_store);
        var script = "SELECT * FROM nope;\nSELECT 42 AS answer;\n";
        var (code, output, err) = RunShell(script);
        Assert.Equal(1, code);
        Assert.Contains("42", output, StringComparison.Ordinal);
        Assert.StartsWith("error: ", err, StringComparison.Ordinal);
        (code, output, _) = RunShell(script, "-bail");
        Assert.Equal(1, code);
        Assert.DoesNotContain("42", output, StringComparison.Ordinal);
        (code, _, _) = RunShell("SELECT 1;\n");
        Assert.Equal(0, code);
    }
}
