using CloudInventory.Simulator.World;

namespace CloudInventory.Tests.Simulator.World;

public class ComputedListTests
{
    [Fact]
    public void Computes_an_item_each_time_it_is_read()
    {
        var reads = new List<int>();
        var list = new ComputedList<string>(4, i =>
        {
            reads.Add(i);
            return "item-" + i;
        });
        Assert.Equal(4, list.Count);
        Assert.Empty(reads);
        Assert.Equal("item-2", list[2]);
        Assert.Equal("item-2", list[2]);
        Assert.Equal([2, 2], reads);
        Assert.Equal(["item-0", "item-1", "item-2", "item-3"], list);
    }

    [Fact]
    public void An_index_outside_the_list_is_refused()
    {
        var list = new ComputedList<int>(2, i => i);
        Assert.Throws<ArgumentOutOfRangeException>(() => list[2]);
        Assert.Throws<ArgumentOutOfRangeException>(() => list[-1]);
    }
}
