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

    [Fact]
    public void Recognises_the_files_of_every_catalogued_table_and_the_errors_file_as_run_files()
    {
        Assert.All(TableCatalog.Default.Tables, table =>
        {
            Assert.True(StoreLayout.IsRunFile(StoreLayout.TableFilePath(table, Day, "20261125T060000Z-a1b2c3")), table.Name);
            Assert.True(StoreLayout.IsRunFile(StoreLayout.TableFilePath(table, Day, "20261125T060000Z-a1b2c3", "12/16")), table.Name);
        });
        Assert.True(StoreLayout.IsRunFile(StoreLayout.ErrorsFilePath(Day, "20261125T060000Z-a1b2c3", "1/4")));
    }

    [Theory]
    [InlineData("_runs/report_date=2026-11-25/20261125T060000Z-a1b2c3.json")]
    [InlineData("README.md")]
    [InlineData("aws/README.md")]
    [InlineData("aws/ec2/instances/report_date=2026-11-25/notes.parquet")]
    [InlineData("aws/ec2/instances/report_date=2026-11-25/20261125T060000Z-a1b2c3.parquet.tmp-0a1b2c3d4e5f")]
    [InlineData("aws/ec2/instances/report_date=2026-11-25/20261125T060000Z-a1b2c3.parquet\n")]
    [InlineData("aws/ec2/instances/report_date=2026-13-25/20261125T060000Z-a1b2c3.parquet")]
    [InlineData("aws/ec2/instances/20261125T060000Z-a1b2c3.parquet")]
    [InlineData("aws/ec2/instances/extra/report_date=2026-11-25/20261125T060000Z-a1b2c3.parquet")]
    [InlineData("backup/aws/ec2/instances/report_date=2026-11-25/20261125T060000Z-a1b2c3.parquet")]
    [InlineData("cloudinv/other/report_date=2026-11-25/20261125T060000Z-a1b2c3.parquet")]
    [InlineData("aws/ec2/instances/report_date=2026-11-25/20261125T060000Z-a1b2c3-0of4.parquet")]
    public void Does_not_take_other_files_for_run_files(string path) =>
        Assert.False(StoreLayout.IsRunFile(path.Replace("\\n", "\n", StringComparison.Ordinal)));
}
