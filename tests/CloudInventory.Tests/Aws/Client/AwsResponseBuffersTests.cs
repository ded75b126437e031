using CloudInventory.Aws.Client;

namespace CloudInventory.Tests.Aws.Client;

public class AwsResponseBuffersTests
{
    private const long MiB = 1024 * 1024;

    [Fact]
    public async Task A_body_that_does_not_fit_the_budget_waits_until_others_are_given_back()
    {
        var buffers = new AwsResponseBuffers(4 * MiB);
        var first = await buffers.RentAsync(3 * MiB);
        Assert.True(first.Buffer.Length >= 3 * MiB);
        Assert.Equal(1 * MiB, buffers.AvailableBytes);

        var second = buffers.RentAsync(2 * MiB).AsTask();
        Assert.False(second.IsCompleted);
        first.Dispose();
        using var lease = await second;
        Assert.Equal(2 * MiB, buffers.AvailableBytes);
    }

    [Fact]
    public async Task A_body_larger_than_the_budget_is_read_alone()
    {
        var buffers = new AwsResponseBuffers(1 * MiB);
        var small = await buffers.RentAsync(1000);
        var huge = buffers.RentAsync(5 * MiB).AsTask();
        Assert.False(huge.IsCompleted);
        small.Dispose();
        using var lease = await huge;
        Assert.True(lease.Buffer.Length >= 5 * MiB);
        Assert.Equal(0, buffers.AvailableBytes);
    }

    [Fact]
    public async Task Waiters_are_served_first_come_first_served()
    {
        var buffers = new AwsResponseBuffers(4 * MiB);
        var held = await buffers.RentAsync(4 * MiB);
        var large = buffers.RentAsync(3 * MiB).AsTask();
        var small = buffers.RentAsync(1000).AsTask();
        Assert.False(small.IsCompleted);
        held.Dispose();
        using var l = await large;
        using var s = await small;
        Assert.Equal(4 * MiB - 3 * MiB - 1000, buffers.AvailableBytes);
    }

    [Fact]
    public async Task A_cancelled_wait_takes_nothing_and_lets_the_next_one_in()
    {
        var buffers = new AwsResponseBuffers(2 * MiB);
        var held = await buffers.RentAsync(2 * MiB);
        using var cts = new CancellationTokenSource();
        var cancelled = buffers.RentAsync(2 * MiB, cts.Token).AsTask();
        var next = buffers.RentAsync(1 * MiB).AsTask();
        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled);
        Assert.False(next.IsCompleted);
        held.Dispose();
        using var lease = await next;
        Assert.Equal(1 * MiB, buffers.AvailableBytes);
    }

    [Fact]
    public async Task A_buffer_that_cannot_be_allocated_gives_its_share_of_the_budget_back()
    {
        var fail = true;
        var buffers = new AwsResponseBuffers(4 * MiB, size => fail ? throw new OutOfMemoryException() : new byte[size]);
        await Assert.ThrowsAsync<OutOfMemoryException>(async () => await buffers.RentAsync(3 * MiB));
        Assert.Equal(4 * MiB, buffers.AvailableBytes);
        fail = false;
        // Without the share given back, this would wait forever.
        using var lease = await buffers.RentAsync(3 * MiB).AsTask().WaitAsync(TimeSpan.FromMinutes(1));
        Assert.True(lease.Buffer.Length >= 3 * MiB);
    }

    [Fact]
    public async Task A_small_body_does_not_push_a_large_buffer_out_of_the_pool()
    {
        var buffers = new AwsResponseBuffers(8 * MiB);
        byte[] large1, large2;
        using (var a = await buffers.RentAsync(4 * MiB))
        using (var b = await buffers.RentAsync(3 * MiB))
        {
            (large1, large2) = (a.Buffer, b.Buffer);
            // Both large buffers are out: a small body gets a new small buffer, which then overfills the pool.
            using var small = await buffers.RentAsync(64 * 1024);
            Assert.True(small.Buffer.Length < MiB);
        }
        using var c = await buffers.RentAsync(4 * MiB);
        using var d = await buffers.RentAsync(3 * MiB);
        Assert.Contains(c.Buffer, new[] { large1, large2 });
        Assert.Contains(d.Buffer, new[] { large1, large2 });
    }

    [Fact]
    public async Task Buffers_are_reused_and_a_lease_can_grow_for_a_body_of_unknown_length()
    {
        var buffers = new AwsResponseBuffers(8 * MiB);
        byte[] first;
        using (var lease = await buffers.RentAsync(100_000))
        {
            first = lease.Buffer;
            first[0] = 42;
        }
        using (var again = await buffers.RentAsync(90_000))
        {
            Assert.Same(first, again.Buffer);
            again.Grow(1);
            Assert.Equal(2 * first.Length, again.Buffer.Length);
            Assert.Equal(42, again.Buffer[0]);
        }
        Assert.Equal(8 * MiB, buffers.AvailableBytes);
        Assert.Throws<ArgumentOutOfRangeException>(() => new AwsResponseBuffers(10));
    }

    [Fact]
    public async Task Buffers_are_rounded_to_a_power_of_two_up_to_a_mebibyte_then_to_whole_mebibytes()
    {
        var buffers = new AwsResponseBuffers(32 * MiB);
        using (var small = await buffers.RentAsync(100_000)) Assert.Equal(128 * 1024, small.Buffer.Length);
        // A page of 8.1 MiB gets a 9 MiB buffer, not 16 MiB (EC2 pages of 6-9 MiB are common).
        using var large = await buffers.RentAsync(8 * MiB + 100_000);
        Assert.Equal(9 * MiB, large.Buffer.Length);
        using var exact = await buffers.RentAsync(3 * MiB); // while the 9 MiB one is out: a new buffer, of exactly 3 MiB
        Assert.Equal(3 * MiB, exact.Buffer.Length);
    }
}
