namespace CloudInventory.Collection.Internal;

/// <summary>
/// Keeps the GC's young generation small while collection runs are under way: whenever the process has allocated
/// more than the budget since the last gen0 collection, it makes one. A run's allocations are almost all short-lived
/// (response values on their way into Arrow buffers), so each such collection is cheap and the heap stays at the live
/// data plus the budget. Without it, Server GC with dynamic adaptation (DATAS) sizes the young generation for its
/// throughput goal, ~60 MiB between collections in the collection memory benchmark, and ignores the gen0 budget
/// settings (<c>GCgen0size</c>, <c>GCgen0MaxBudget</c>: docs/benchmarks.md §2.2b, §2.2c). About once a second it also
/// has glibc give back the free memory in its arenas (<see cref="NativeAllocator.ReturnFreeMemory"/>).
/// <see cref="Process"/> is off until <see cref="Enable"/> (the CLI enables it at start); then one background thread
/// watches while at least one run (or a <c>serve</c> server) holds a lease from <see cref="Enter"/>, and stops when the last
/// lease ends.
/// </summary>
internal sealed class YoungGenerationGovernor(long budgetBytes)
{
    /// <summary>The allocation between gen0 collections that the process's governor allows.</summary>
    public const long DefaultBudgetBytes = 8L * 1024 * 1024;

    // How often the allocation count is read: at ~100 MiB/s of allocation, ~0.5 MiB over the budget at most.
    private const int PollMilliseconds = 5;
    private const int IdlePollMilliseconds = 50;

    // Every so many of its collections also collects gen1, where the young objects that were still in use at a gen0
    // collection (a unit's rows on their way to Arrow) go, and die soon after.
    private const int OlderEvery = 4;

    // The governor's own collections may take at most this share of the wall time. A process that allocates much faster
    // than a collection run (a benchmark with the simulator inside it, a server's burst) would otherwise spend its time
    // in them: past the share the budget doubles (up to MaxBudgetBytes), and well under it, it halves back. The share is
    // taken over windows of a second, at the end of which glibc's free memory is given back too.
    private const double MaxPauseShare = 0.05;
    private const long MaxBudgetBytes = 256L * 1024 * 1024;
    private const long WindowMilliseconds = 1000;

    private readonly Lock _lock = new();
    private bool _enabled;
    private int _leases;
    private Thread? _watcher;
    private long _forced;
    private long _forcedPauseTicks;
    private readonly long _baseBudget = budgetBytes;
    private long _budget = budgetBytes;

    /// <summary>The process's governor, which <see cref="InventoryCollector.RunAsync"/> and a <c>serve</c> server enter.</summary>
    public static YoungGenerationGovernor Process { get; } = new(DefaultBudgetBytes);

    /// <summary>The gen0 collections this governor has made.</summary>
    public long ForcedCollections => Interlocked.Read(ref _forced);

    /// <summary>The time the governor's collections took, in all.</summary>
    public TimeSpan ForcedPause => TimeSpan.FromTicks(Interlocked.Read(ref _forcedPauseTicks));

    /// <summary>The allocation between collections it allows now (the budget, or more while its collections cost too much).</summary>
    public long CurrentBudgetBytes => Interlocked.Read(ref _budget);

    /// <summary>Whether a watcher thread is running (a lease is held, or the last one ended less than a poll ago).</summary>
    public bool Watching
    {
        get
        {
            lock (_lock) return _watcher is not null;
        }
    }

    /// <summary>Lets runs use the governor from now on.</summary>
    public void Enable()
    {
        lock (_lock) _enabled = true;
    }

    /// <summary>A lease for the length of one run: the governor watches while any lease is held; null when not enabled.</summary>
    public IDisposable? Enter()
    {
        lock (_lock)
        {
            if (!_enabled) return null;
            _leases++;
            if (_watcher is null)
            {
                _watcher = new Thread(Watch) { IsBackground = true, Name = "cloudinv young generation governor" };
                _watcher.Start();
            }
        }
        return new Lease(this);
    }

    private void Watch()
    {
        var collections = GC.CollectionCount(0);
        var mark = GC.GetTotalAllocatedBytes(precise: false);
        var lastSeen = mark;
        var idle = false;
        var window = System.Diagnostics.Stopwatch.StartNew();
        var windowPause = TimeSpan.Zero;
        while (true)
        {
            // A process that allocates nothing (a server between requests) is looked at ten times less often.
            Thread.Sleep(idle ? IdlePollMilliseconds : PollMilliseconds);
            lock (_lock)
            {
                if (_leases == 0)
                {
                    _watcher = null;
                    return;
                }
            }
            var now = GC.CollectionCount(0);
            var allocated = GC.GetTotalAllocatedBytes(precise: false);
            idle = allocated == lastSeen;
            lastSeen = allocated;
            if (now != collections)
            {
                // The GC collected on its own: the budget starts again from there.
                collections = now;
                mark = allocated;
            }
            else if (allocated - mark > Interlocked.Read(ref _budget))
            {
                // Counted once done (and its time with it): only this thread writes them.
                var number = Interlocked.Read(ref _forced) + 1;
                var pause = System.Diagnostics.Stopwatch.StartNew();
                GC.Collect(number % OlderEvery == 0 ? 1 : 0, GCCollectionMode.Forced, blocking: true, compacting: false);
                windowPause += pause.Elapsed;
                Interlocked.Add(ref _forcedPauseTicks, pause.Elapsed.Ticks);
                Interlocked.Increment(ref _forced);
                collections = GC.CollectionCount(0);
                mark = GC.GetTotalAllocatedBytes(precise: false);
            }
            if (window.ElapsedMilliseconds >= WindowMilliseconds)
            {
                Adapt(windowPause / window.Elapsed);
                NativeAllocator.ReturnFreeMemory();
                window.Restart();
                windowPause = TimeSpan.Zero;
            }
        }
    }

    // Doubles the budget while the governor's collections take more than their share of the time; halves it back towards
    // the one given while they take well under it.
    private void Adapt(double pauseShare)
    {
        var budget = Interlocked.Read(ref _budget);
        if (pauseShare > MaxPauseShare) Interlocked.Exchange(ref _budget, Math.Min(MaxBudgetBytes, budget * 2));
        else if (pauseShare < MaxPauseShare / 4 && budget > _baseBudget) Interlocked.Exchange(ref _budget, Math.Max(_baseBudget, budget / 2));
    }

    private sealed class Lease(YoungGenerationGovernor owner) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 1) return;
            lock (owner._lock) owner._leases--;
        }
    }
}
