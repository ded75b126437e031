using CloudInventory.Catalog;
using CloudInventory.Collection;

namespace CloudInventory.Tests.Collection;

public sealed class RunShardTests
{
    [Theory]
    [InlineData("0/3")]
    [InlineData("4/3")]
    [InlineData("1/0")]
    [InlineData("a/b")]
    [InlineData("1/2/3")]
    [InlineData("-1/2")]
    public void Refuses_what_is_not_k_of_n(string text) =>
        Assert.Contains("k/n", Assert.Throws<CollectionException>(() => RunShard.Parse(text)).Message, StringComparison.Ordinal);

    [Fact]
    public void No_text_is_no_shard() => Assert.Null(RunShard.Parse(null));

    [Fact]
    public void Every_unit_belongs_to_exactly_one_shard_and_the_split_is_stable()
    {
        var table = TableCatalog.Default.Find("aws_ec2_instances")!;
        var units = Enumerable.Range(0, 200).Select(i => new WorkUnit($"{i:D12}", i % 2 == 0 ? "eu-west-1" : "us-east-1", table)).ToList();
        var shards = Enumerable.Range(1, 4).Select(k => RunShard.Parse($"{k}/4")!).ToList();
        foreach (var unit in units) Assert.Single(shards, s => s.Includes(unit));
        // Every shard gets a share (FNV spreads the keys), and asking again gives the same answer.
        Assert.All(shards, s => Assert.InRange(units.Count(s.Includes), 20, 80));
        Assert.Equal(units.Where(shards[2].Includes), units.Where(RunShard.Parse("3/4")!.Includes));
        Assert.Equal("3/4", shards[2].Label);
    }
}
