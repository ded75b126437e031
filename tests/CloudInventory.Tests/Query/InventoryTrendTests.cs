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
}
