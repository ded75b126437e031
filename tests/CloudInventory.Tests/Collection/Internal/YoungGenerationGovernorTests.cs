using CloudInventory.Collection.Internal;

namespace CloudInventory.Tests.Collection.Internal;

/// <summary>The governor that keeps the GC's young generation small during runs (docs/benchmarks.md §2.2c).</summary>
public sealed class YoungGenerationGovernorTests
{
    [Fact]
    public void A_governor_that_is_not_enabled_gives_no_lease_and_starts_no_thread()
    {
        var governor = new YoungGenerationGovernor(1024 * 1024);
        Assert.Null(governor.Enter());
        Assert.False(governor.Watching);
    }

    [Fact]
    public void While_a_lease_is_held_allocation_past_the_budget_is_collected_and_the_watcher_stops_after_the_last_lease()
    {
        var governor = new YoungGenerationGovernor(1024 * 1024);
        Assert.Equal(1024 * 1024, governor.CurrentBudgetBytes);
        governor.Enable();
        var first = governor.Enter();
        var second = governor.Enter();
        Assert.NotNull(first);
        Assert.NotNull(second);
        Assert.True(governor.Watching);
        // Short-lived garbage, well past the 1 MiB budget, with pauses for the watcher to look (it polls every 5 ms).
        var keep = new byte[8][];
        for (var i = 0; i < 20_000 && governor.ForcedCollections == 0; i++)
        {
            keep[i % keep.Length] = new byte[64 * 1024];
            if (i % 16 == 0) Thread.Sleep(1);
        }
        Assert.True(governor.ForcedCollections > 0, "no gen0 collection was made past the budget");
        Assert.True(governor.ForcedPause > TimeSpan.Zero);
        // The budget only ever grows from the one given (when its collections take too much of the time), up to 256 MiB.
        Assert.InRange(governor.CurrentBudgetBytes, 1024 * 1024, 256L * 1024 * 1024);

        first!.Dispose();
        first.Dispose(); // a second dispose does not end another run's lease
        Assert.True(governor.Watching);
        second!.Dispose();
        Assert.True(SpinWait.SpinUntil(() => !governor.Watching, TimeSpan.FromSeconds(30)), "the watcher kept running after the last lease");
        var forced = governor.ForcedCollections;
        for (var i = 0; i < 2_000; i++) keep[i % keep.Length] = new byte[64 * 1024];
        Assert.Equal(forced, governor.ForcedCollections);
    }
}
