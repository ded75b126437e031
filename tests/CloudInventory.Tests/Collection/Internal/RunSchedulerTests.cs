using CloudInventory.Catalog;
using CloudInventory.Collection;
using CloudInventory.Collection.Internal;
using CloudInventory.Storage;

namespace CloudInventory.Tests.Collection.Internal;

public sealed class RunSchedulerTests
{
    private static readonly Table Vpcs = TableCatalog.Default.Find("aws_ec2_vpcs")!;

    [Fact]
    public async Task Runs_every_unit_within_the_concurrency_limit_and_orders_the_manifest_entries()
    {
        var units = Enumerable.Range(0, 12).Select(i => new WorkUnit($"{i % 3:D12}", $"r{i:D2}", Vpcs)).ToList();
        var running = 0;
        var most = 0;
        var reports = new List<CollectionProgress>();
        var scheduler = new RunScheduler(2, new SynchronousProgress(reports), () => new(7, 1, 0), System.Diagnostics.Stopwatch.StartNew());
        var entries = await scheduler.RunAsync(units, async (unit, ct) =>
        {
            var now = Interlocked.Increment(ref running);
            InterlockedMax(ref most, now);
            await Task.Yield();
            Interlocked.Decrement(ref running);
            return [new RunManifestTable(unit.Table.Name, unit.AccountId, unit.Region, 2, TableRunStatus.Ok)];
        }, CancellationToken.None);

        Assert.InRange(most, 1, 2);
        Assert.Equal(12, entries.Count);
        Assert.Equal(entries.OrderBy(e => e.AccountId, StringComparer.Ordinal).ThenBy(e => e.Region, StringComparer.Ordinal), entries);
        var last = reports[^1];
        Assert.Equal((12, 12, 24L, 7L), (last.UnitsDone, last.UnitsTotal, last.Rows, last.ApiCalls));
        Assert.Equal((4, 4), last.UnitsByAccount["000000000001"]);
        Assert.Equal(13, reports.Count); // one before any unit, one after each
    }

    [Fact]
    public async Task A_failing_fetch_stops_the_run_with_its_exception()
    {
        var scheduler = new RunScheduler(4, null, () => default, System.Diagnostics.Stopwatch.StartNew());
        var units = new[] { new WorkUnit("000000000001", "r", Vpcs) };
        await Assert.ThrowsAsync<InvalidOperationException>(() => scheduler.RunAsync(units, (_, _) => throw new InvalidOperationException("boom"), CancellationToken.None));
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int seen;
        while ((seen = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, seen) != seen) { }
    }

    private sealed class SynchronousProgress(List<CollectionProgress> reports) : IProgress<CollectionProgress>
    {
        public void Report(CollectionProgress value)
        {
            lock (reports) reports.Add(value);
        }
    }
}
