using System.Text.Json;
using static CloudInventory.Tests.Query.SampleWorld;

namespace CloudInventory.Tests.Query;

public sealed class DiffCommandTests : IDisposable
{
    private readonly TestStore _store = new();

    public DiffCommandTests() => Build(_store);

    public void Dispose() => _store.Dispose();

    [Fact]
    public void Prints_added_removed_and_changed_rows_with_columns()
    {
        var (code, output, _) = CliRunner.Run("diff", "--from", "2026-03-01", "--to", "2026-03-02", "--table", "ec2_*", "--store", _store.Root, "--format", "table");
        Assert.Equal(0, code);
        Assert.Contains("aws_ec2_instances: 1 added, 1 removed, 3 changed", output, StringComparison.Ordinal);
        Assert.Contains("  + 222222222222 us-east-1 i-7", output, StringComparison.Ordinal);
        Assert.Contains("  - 222222222222 us-east-1 i-6", output, StringComparison.Ordinal);
        Assert.Contains("      state: {\"code\":16,\"name\":\"running\"} -> {\"code\":80,\"name\":\"stopped\"}", output, StringComparison.Ordinal);
        Assert.DoesNotContain("aws_ec2_subnets", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Summary_json_and_bad_dates()
    {
        var (_, summary, _) = CliRunner.Run("diff", "--from", "2026-03-01", "--to", "2026-03-03", "--summary", "--store", _store.Root, "--format", "table");
        Assert.Contains("aws_ec2_instances      2        1        3", summary, StringComparison.Ordinal);
        var (_, json, _) = CliRunner.Run("diff", "--from", "2026-03-01", "--to", "2026-03-02", "--format", "json", "--store", _store.Root, "--where-tag", "Application=checkout");
        var table = JsonDocument.Parse(json).RootElement.GetProperty("tables")[0];
        Assert.Equal(2, table.GetProperty("changed").GetInt32());
        var bad = CliRunner.Run("diff", "--from", "last tuesday", "--store", _store.Root);
        Assert.Equal(2, bad.Code);
        Assert.Contains("is not a date", bad.Err, StringComparison.Ordinal);
    }
}
