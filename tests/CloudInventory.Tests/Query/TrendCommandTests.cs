using static CloudInventory.Tests.Query.SampleWorld;

namespace CloudInventory.Tests.Query;

public sealed class TrendCommandTests : IDisposable
{
    private readonly TestStore _store = new();

    public TrendCommandTests() => Build(_store);

    public void Dispose() => _store.Dispose();

    [Fact]
    public void Prints_csv_when_not_on_a_terminal()
    {
        var (code, output, _) = CliRunner.Run("trend", "--by", "account", "--table", "aws_ec2_instances", "--since", "2026-03-02", "--store", _store.Root);
        Assert.Equal(0, code);
        Assert.Equal("report_date,group,count,carried,not_observed\n2026-03-02,111111111111,3,0,\n2026-03-02,222222222222,3,0,\n2026-03-03,111111111111,4,0,\n2026-03-03,222222222222,3,0,\n",
            output.ReplaceLineEndings("\n"));
    }

    [Fact]
    public void Draws_a_chart_on_request()
    {
        var (code, output, _) = CliRunner.Run("trend", "--by", "tag:Application", "--since", "2026-01-01", "--format", "chart", "--store", _store.Root);
        Assert.Equal(0, code);
        Assert.Contains("checkout", output, StringComparison.Ordinal);
        Assert.Contains("▁██", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Sparkline_scales_between_min_and_max() =>
        Assert.Equal("▁▄█", CloudInventory.Cli.Commands.TrendCommand.Sparkline([1, 5, 9]));
}
