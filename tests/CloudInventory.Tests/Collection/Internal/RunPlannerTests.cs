using CloudInventory.Catalog;
using CloudInventory.Collection;
using CloudInventory.Collection.Internal;

namespace CloudInventory.Tests.Collection.Internal;

public sealed class RunPlannerTests
{
    private static readonly Table Vpcs = TableCatalog.Default.Find("aws_ec2_vpcs")!;
    private static readonly Table Buckets = TableCatalog.Default.Find("aws_s3_buckets")!;

    [Fact]
    public void Interleaves_the_accounts_so_none_waits_for_another()
    {
        var offered = new[]
        {
            new WorkUnit("111111111111", "eu-west-1", Vpcs), new WorkUnit("111111111111", "us-east-1", Vpcs), new WorkUnit("111111111111", "us-east-1", Buckets),
            new WorkUnit("222222222222", "eu-west-1", Vpcs), new WorkUnit("222222222222", "us-east-1", Vpcs),
        };
        var plan = RunPlanner.Plan(offered, null);
        Assert.Equal(["111111111111", "222222222222", "111111111111", "222222222222", "111111111111"], plan.Select(u => u.AccountId));
        Assert.Equal(offered.ToHashSet(), plan.ToHashSet());
    }

    [Fact]
    public void Keeps_only_the_shards_units_and_the_shards_together_are_the_whole_plan()
    {
        var offered = Enumerable.Range(0, 60).Select(i => new WorkUnit($"{i % 5:D12}", $"region-{i / 5}", i % 2 == 0 ? Vpcs : Buckets)).ToList();
        var parts = Enumerable.Range(1, 3).Select(k => RunPlanner.Plan(offered, RunShard.Parse($"{k}/3"))).ToList();
        Assert.Equal(offered.Count, parts.Sum(p => p.Count));
        Assert.Equal(offered.ToHashSet(), parts.SelectMany(p => p).ToHashSet());
        Assert.All(parts, p => Assert.NotEmpty(p));
    }
}
