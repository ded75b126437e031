using CloudInventory.Collection.Internal;

namespace CloudInventory.Tests.Collection.Internal;

public sealed class WorkUnitCollectorTests
{
    [Fact]
    public void Running_out_of_memory_is_recorded_with_what_to_do_about_it()
    {
        var error = WorkUnitCollector.Describe(new OutOfMemoryException(), "ec2", "DescribeInstances");
        Assert.Equal("OutOfMemory", error.Code);
        Assert.False(error.Skip);
        Assert.StartsWith("ec2 DescribeInstances: out of memory (GC heap limit ", error.Message, StringComparison.Ordinal);
        Assert.Contains("lower --concurrency", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Other_unexpected_failures_are_recorded_by_their_type()
    {
        var error = WorkUnitCollector.Describe(new InvalidDataException("bad bytes"), "ec2", "DescribeInstances");
        Assert.Equal("InvalidDataException", error.Code);
        Assert.Equal("ec2 DescribeInstances: bad bytes", error.Message);
    }
}
