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
}
