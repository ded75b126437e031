using CloudInventory.Query;
using static CloudInventory.Tests.Query.SampleWorld;

namespace CloudInventory.Tests.Query;

public sealed class InventoryTrendTests : IDisposable
{
    private readonly TestStore _store = new();

    public void Dispose() => _store.Dispose();

    private List<string> Trend(string by, string? table = "aws_ec2_instances", DateOnly? since = null, TagFilter? tag = null)
    {
        Build(_store);
        using var db = InventoryDatabase.Open(_store.Root, TestStore.Catalog, new InventoryDatabaseOptions { TagFilters = tag is null ? [] : [tag] });
        return InventoryTrend.Compute(db, new TrendOptions { By = by, TableGlob = table, Since = since })
            .Select(p => $"{p.Date:MM-dd} {p.Group} {p.Count}").ToList();
    }

    [Fact]
    public void Counts_per_day_by_account() =>
        Assert.Equal(["03-01 111111111111 3", "03-01 222222222222 3", "03-02 111111111111 3", "03-02 222222222222 3", "03-03 111111111111 4", "03-03 222222222222 3"],
            Trend("account"));

    [Fact]
    public void Counts_per_day_by_tag() =>
        Assert.Equal(["03-01 (untagged) 1", "03-01 checkout 3", "03-01 search 2", "03-02 (untagged) 1", "03-02 checkout 4", "03-02 search 1",
            "03-03 (untagged) 1", "03-03 checkout 4", "03-03 search 2"], Trend("tag:Application"));

    [Fact]
    public void Counts_per_day_by_service_since_a_day_and_within_a_tag_scope()
    {
        Assert.Equal(["03-02 ec2 10", "03-03 ec2 11"], Trend("service", table: "aws_ec2_*", since: new DateOnly(2026, 3, 2)));
    }

    [Fact]
    public void Tag_scope_limits_the_counts()
    {
        Assert.Equal(["03-01 ec2 4", "03-02 ec2 5", "03-03 ec2 5"], Trend("service", table: "ec2_*", tag: new TagFilter("Application", "checkout")));
    }

    [Fact]
    public void An_unknown_grouping_is_an_error() =>
        Assert.Throws<InventoryQueryException>(() => Trend("colour"));

    [Fact]
    public void Counts_by_tag_when_early_files_have_no_tags_column()
    {
        _store.AddRun(Day1, r => r.Table("aws_ec2_instances", $"SELECT 'i-1' AS instance_id, '{A}' AS account_id, 'eu-west-1' AS region, NULL::TIMESTAMPTZ AS report_time"));
        _store.AddRun(Day2, r => r.Table("aws_ec2_instances", Instances([("i-1", A, "s", "running", "'Application': 'checkout'", "v")], true)), suffix: "b2c3d4");
        using var db = InventoryDatabase.Open(_store.Root, TestStore.Catalog);
        var points = InventoryTrend.Compute(db, new TrendOptions { By = "tag:Application" }).Select(p => $"{p.Date:MM-dd} {p.Group} {p.Count}");
        Assert.Equal(["03-01 (untagged) 1", "03-02 checkout 1"], points);
    }
}
