using System.Diagnostics;
using CloudInventory.Catalog;
using CloudInventory.Collection.Aws;
using CloudInventory.Collection.Internal;
using CloudInventory.Storage;
using CloudInventory.Text;

namespace CloudInventory.Collection;

/// <summary>
/// Takes a snapshot: resolves accounts (Organizations, AssumeRole) and regions, plans work units
/// (account, region, table), runs them concurrently under per-service rate limits, writes one Parquet
/// file per table, and publishes the run manifest last, so a query never sees half a run.
/// </summary>
public sealed class InventoryCollector
{
    private readonly TableCatalog _catalog;
    private readonly ICloudProvider _provider = new AwsCloudProvider();

    /// <summary>Creates a collector over a catalog (the embedded one by default).</summary>
    public InventoryCollector(TableCatalog? catalog = null) => _catalog = catalog ?? TableCatalog.Default;

    /// <summary>
    /// Asks the C allocator, which the Parquet writer's native code uses, to return freed memory rather than keep
    /// it (at most two glibc arenas; blocks of 128 KiB and more mapped and unmapped). Best called first thing in
    /// a process, before other threads allocate (the CLI does); <see cref="RunAsync"/> calls it too. Once per
    /// process; nothing happens where glibc's <c>mallopt</c> is not available.
    /// </summary>
    public static void ReduceNativeMemoryRetention() => NativeAllocator.PreferReturningMemory();

    /// <summary>
    /// Runs a collection, stage by stage: check the options, open the store, connect the provider (credentials,
    /// scope), plan the work units, schedule and fetch them, and write — files, errors, and the manifest last.
    /// </summary>
    /// <exception cref="CollectionException">The run cannot start (bad options, store, credentials); nothing was written.</exception>
    public async Task<CollectionResult> RunAsync(CollectOptions options, IProgress<CollectionProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        NativeAllocator.PreferReturningMemory();
        var clock = Stopwatch.StartNew();
        var startedAt = DateTimeOffset.UtcNow;
        var shard = RunShard.Parse(options.Shard);
        var tables = SelectTables(options.Tables);
        CheckOptions(options);
        var store = await OpenStoreAsync(options, cancellationToken).ConfigureAwait(false);
        try
        {
            var reportTime = ReportTimeOf(options.ReportTime ?? startedAt);
            var runId = options.RunId ?? RunManifest.NewRunId(startedAt);
            using var writer = new RunWriter(runId, shard?.Label, DateOnly.FromDateTime(reportTime.UtcDateTime));
            var run = new RunContext(runId, shard, startedAt, reportTime, tables, RootsOf(tables), ChildrenOf(tables), writer);
            await using var session = await _provider.ConnectAsync(options, run, cancellationToken).ConfigureAwait(false);
            var plan = RunPlanner.Plan(session.Units(run.Roots), shard);
            var scheduler = new RunScheduler(options.Concurrency, progress, () => new(session.ApiCalls, session.Throttles, run.Errors.Count));
            var entries = await scheduler.RunAsync(plan, session.FetchAsync, cancellationToken).ConfigureAwait(false);
            var manifest = await RunPublisher.PublishAsync(store, run, plan, entries, session, clock, cancellationToken).ConfigureAwait(false);
            return new CollectionResult(manifest, RunPublisher.SortedErrors(run), session.Accounts, store.Location);
        }
        finally
        {
            (store as IDisposable)?.Dispose();
        }
    }

    private static void CheckOptions(CollectOptions options)
    {
        if (options.Concurrency < 1) throw new CollectionException($"--concurrency {options.Concurrency} must be at least 1");
        if (options.RunId is { } id && !System.Text.RegularExpressions.Regex.IsMatch(id, "^[0-9]{8}T[0-9]{6}Z-[0-9a-f]{6}$"))
            throw new CollectionException($"--run-id '{id}' must look like 20261125T060000Z-0a1b2c (UTC start time, dash, 6 hex digits)");
    }

    // UTC, millisecond precision (what Parquet's timestamp(ms) keeps).
    private static DateTimeOffset ReportTimeOf(DateTimeOffset time)
    {
        var utc = time.ToUniversalTime();
        return utc.AddTicks(-(utc.Ticks % TimeSpan.TicksPerMillisecond));
    }

    private static async Task<IInventoryStore> OpenStoreAsync(CollectOptions options, CancellationToken cancellationToken)
    {
        IInventoryStore? store = null;
        try
        {
            if (options.StoreOptions is { } s3 && options.Store.StartsWith("s3://", StringComparison.OrdinalIgnoreCase))
            {
                var location = S3InventoryStoreOptions.FromLocation(options.Store);
                store = new S3InventoryStore(s3 with { Bucket = location.Bucket, Prefix = location.Prefix });
            }
            else
            {
                store = InventoryStores.Open(options.Store);
            }
            await store.EnsureWritableAsync(cancellationToken).ConfigureAwait(false);
            return store;
        }
        catch (Exception e) when (e is InventoryStoreException or ArgumentException or IOException or UnauthorizedAccessException or FormatException)
        {
            (store as IDisposable)?.Dispose();
            throw new CollectionException($"cannot write to the store '{options.Store}': {e.Message}", e);
        }
    }

    /// <summary>The tool version written into manifests.</summary>
    public static string ToolVersion { get; } = typeof(InventoryCollector).Assembly.GetName().Version?.ToString(3) ?? "0.0.0";

    /// <summary>The tables matching the globs (curated ones when there are none), with the parents they need.</summary>
    /// <exception cref="CollectionException">A glob matches no table.</exception>
    public IReadOnlyList<Table> SelectTables(IReadOnlyList<string> globs)
    {
        if (globs.Count == 0) return _catalog.Curated.ToList();
        var picked = new List<Table>();
        foreach (var glob in globs)
        {
            // A plain curated name needs no discovery (which parses every service model).
            var matches = !glob.Contains('*', StringComparison.Ordinal) && !glob.Contains('?', StringComparison.Ordinal) && _catalog.Find(glob) is { Origin: TableOrigin.Curated } exact
                ? [exact]
                : _catalog.Tables.Where(t => Glob.IsMatch(t.Name, glob)).ToList();
            if (matches.Count == 0)
            {
                throw new CollectionException($"no table matches '{glob}'{DidYouMean(EditDistance.Closest(glob, _catalog.Tables.Select(t => t.Name)))}; `cloudinv tables` lists them");
            }
            picked.AddRange(matches);
        }
        return picked.Distinct().ToList();
    }

    private IReadOnlyList<Table> RootsOf(IReadOnlyList<Table> tables)
    {
        var roots = new HashSet<Table>();
        foreach (var table in tables)
        {
            var t = table;
            while (t.Parent is { } link) t = _catalog.Find(link.Table) ?? throw new CollectionException($"table {t.Name} has an unknown parent {link.Table}");
            roots.Add(t);
        }
        return roots.OrderBy(t => t.Name, StringComparer.Ordinal).ToList();
    }

    // Children of every table on the way from a root to a selected table.
    private Dictionary<string, IReadOnlyList<Table>> ChildrenOf(IReadOnlyList<Table> tables)
    {
        var needed = new HashSet<Table>();
        foreach (var table in tables)
        {
            for (var t = table; t.Parent is { } link; t = _catalog.Find(link.Table)!) needed.Add(t);
        }
        return needed.GroupBy(t => t.Parent!.Table).ToDictionary(g => g.Key, g => (IReadOnlyList<Table>)g.OrderBy(t => t.Name, StringComparer.Ordinal).ToList(), StringComparer.Ordinal);
    }

    private static string DidYouMean(string? near) => near is null ? "" : $" (did you mean '{near}'?)";
}
