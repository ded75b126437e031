using System.Collections.Concurrent;
using System.Diagnostics;
using CloudInventory.Storage;

namespace CloudInventory.Collection.Internal;

/// <summary>
/// Stage 2 of a run, <em>schedule</em>: runs the planned units under one concurrency limit, each through the
/// provider's fetcher (which paces its own calls per account/region/service), gathers each unit's manifest
/// entries and reports progress after every unit.
/// </summary>
/// <remarks>Progress shows the time since <paramref name="clock"/> started: the run's clock, not the scheduler's.</remarks>
internal sealed class RunScheduler(int concurrency, IProgress<CollectionProgress>? progress, Func<RunScheduler.RunCounters> counters, Stopwatch clock)
{
    /// <summary>The counters a progress report shows besides units and rows.</summary>
    public readonly record struct RunCounters(long ApiCalls, long Throttles, int Errors);

    public async Task<IReadOnlyList<RunManifestTable>> RunAsync(IReadOnlyList<WorkUnit> units,
        Func<WorkUnit, CancellationToken, Task<IReadOnlyList<RunManifestTable>>> fetchAsync, CancellationToken cancellationToken)
    {
        var entries = new ConcurrentBag<RunManifestTable>();
        var byAccount = units.GroupBy(u => u.AccountId).ToDictionary(g => g.Key, g => new int[] { 0, g.Count() }, StringComparer.Ordinal);
        var done = 0;
        long rows = 0;
        // Under the lock, so that reports arrive in the order of their counts (two units finishing at once must not
        // leave 11 of 12 as the last word).
        void Report()
        {
            if (progress is null) return;
            lock (byAccount)
            {
                var snapshot = byAccount.ToDictionary(kv => kv.Key, kv => (kv.Value[0], kv.Value[1]), StringComparer.Ordinal);
                var c = counters();
                progress.Report(new CollectionProgress(Volatile.Read(ref done), units.Count, snapshot, Interlocked.Read(ref rows),
                    c.ApiCalls, c.Throttles, c.Errors, clock.Elapsed));
            }
        }
        Report();
        await Parallel.ForEachAsync(units, new ParallelOptions { MaxDegreeOfParallelism = concurrency, CancellationToken = cancellationToken }, async (unit, ct) =>
        {
            foreach (var entry in await fetchAsync(unit, ct).ConfigureAwait(false))
            {
                entries.Add(entry);
                Interlocked.Add(ref rows, entry.Rows);
            }
            lock (byAccount)
            {
                Interlocked.Increment(ref done);
                byAccount[unit.AccountId][0]++;
                Report();
            }
        }).ConfigureAwait(false);
        return entries.OrderBy(t => t.Table, StringComparer.Ordinal).ThenBy(t => t.AccountId, StringComparer.Ordinal)
            .ThenBy(t => t.Region, StringComparer.Ordinal).ToList();
    }
}
