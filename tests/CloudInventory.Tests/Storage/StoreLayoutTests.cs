using CloudInventory.Catalog;
using CloudInventory.Storage;

namespace CloudInventory.Tests.Storage;

public class StoreLayoutTests
{
    private static readonly DateOnly Day = new(2026, 11, 25);

    [Fact]
    public void Places_table_files_errors_and_manifests_as_the_contract_says()
    {
        var table = TableCatalog.Default.Find("aws_ec2_instances")!;
        Assert.Equal("aws/ec2/instances/report_date=2026-11-25/20261125T060000Z-a1b2c3.parquet", StoreLayout.TableFilePath(table, Day, "20261125T060000Z-a1b2c3"));
        Assert.Equal("aws/ec2/instances/report_date=2026-11-25/20261125T060000Z-a1b2c3-1of4.parquet", StoreLayout.TableFilePath(table, Day, "20261125T060000Z-a1b2c3", "1/4"));
        Assert.Equal("cloudinv/errors/report_date=2026-11-25/20261125T060000Z-a1b2c3.parquet", StoreLayout.ErrorsFilePath(Day, "20261125T060000Z-a1b2c3"));
        Assert.Equal("_runs/report_date=2026-11-25/20261125T060000Z-a1b2c3-3of4.json", StoreLayout.ManifestPath(Day, "20261125T060000Z-a1b2c3", "3/4"));
    }

    [Fact]
    public void Reads_the_report_date_of_a_path()
    {
        Assert.Equal(Day, StoreLayout.ReportDateOf("_runs/report_date=2026-11-25/x.json"));
        Assert.Null(StoreLayout.ReportDateOf("_runs/report_date=2026-13-25/x.json"));
        Assert.Null(StoreLayout.ReportDateOf("_runs/x.json"));
    }

    [Theory]
    [InlineData("/abs/x")]
    [InlineData("a/../b")]
    [InlineData("a//b")]
    [InlineData("a\\b")]
    [InlineData("a/./b")]
    [InlineData("a/")]
    public void Rejects_paths_that_are_not_relative_to_the_root(string path) =>
        Assert.Throws<ArgumentException>(() => StoreLayout.ValidateRelativePath(path));

    [Theory]
    [InlineData("run", null)]
    [InlineData("20261125T060000Z-a1b2c3", "0/4")]
    [InlineData("20261125T060000Z-a1b2c3", "1-4")]
    public void Rejects_bad_run_ids_and_shards(string runId, string? shard) =>
        Assert.Throws<ArgumentException>(() => StoreLayout.FileStem(runId, shard));
}
