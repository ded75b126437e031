using System.Diagnostics;
using CloudInventory.Catalog;
using CloudInventory.Collection.Aws;
using CloudInventory.Collection.Azure;
using CloudInventory.Collection.Internal;
using CloudInventory.Storage;
using CloudInventory.Text;

namespace CloudInventory.Collection;

/// <summary>
/// Takes a snapshot: resolves accounts (Organizations, AssumeRole) and regions, plans work units
/// (account, region, table), runs them concurrently under per-service rate limits, writes one Parquet
/// file per table, and publishes the run manifest last, so a query never sees half a run.
/// </summary>
public sealed partial class InventoryCollector
{
    private readonly TableCatalog _catalog;
    private static readonly IReadOnlyDictionary<Cloud, ICloudProvider> s_providers = new Dictionary<Cloud, ICloudProvider>
    {
        [Cloud.Aws] = new AwsCloudProvider(),
        [Cloud.Azure] = new AzureCloudProvider(),
    };

    /// <summary>Creates a collector over a catalog (the embedded one by default).</summary>
    public InventoryCollector(TableCatalog? catalog = null) => _catalog = catalog ?? TableCatalog.Default;

    /// <summary>
    /// Settings for a process whose memory is mostly collection runs (the CLI calls this first thing, before other
    /// threads start): the C allocator, which the Parquet writer's native code uses, returns freed memory rather than
    /// keeping it (at most two glibc arenas; blocks of 128 KiB and more mapped and unmapped; Parquet's jemalloc purges
    /// freed pages at once), and while a run is under way the GC's young generation is kept to 8 MiB between
    /// collections. <see cref="RunAsync"/> applies the glibc settings in any process; the rest only follows this call.
    /// Once per process; nothing happens where the C library's calls are not available.
    /// </summary>
    public static void ReduceMemoryRetention()
    {
        NativeAllocator.PurgeParquetBuffersAtOnce();
        NativeAllocator.PreferReturningMemory();
        YoungGenerationGovernor.Process.Enable();
    }

    /// <summary>
    /// Runs a collection, stage by stage: check the options, open the store, connect the provider (credentials,
    /// scope), plan the work units, schedule and fetch them, and write — files, errors, and the manifest last.
    /// </summary>
    /// <exception cref="CollectionException">The run cannot start (bad options, store, credentials), or the store refuses its files; no manifest was written.</exception>
    public async Task<CollectionResult> RunAsync(CollectOptions options, IProgress<CollectionProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        NativeAllocator.PreferReturningMemory();
        using var governor = YoungGenerationGovernor.Process.Enter();
        var clock = Stopwatch.StartNew();
        var startedAt = DateTimeOffset.UtcNow;
        var shard = RunShard.Parse(options.Shard);
        var tables = SelectTables(options.Tables, options.Clouds);
        CheckOptions(options);
        var store = await OpenStoreAsync(options, cancellationToken).ConfigureAwait(false);
        try
        {
            if (options.RunId is { } reusedRunId) await RefuseConflictingShardAsync(store, reusedRunId, shard?.Label, cancellationToken).ConfigureAwait(false);
            var reportTime = ReportTimeOf(options.ReportTime ?? startedAt);
            var runId = options.RunId ?? RunManifest.NewRunId(startedAt);
            using var writer = new RunWriter(runId, shard?.Label, DateOnly.FromDateTime(reportTime.UtcDateTime));
            var run = new RunContext(runId, shard, startedAt, reportTime, tables, RootsOf(tables), ChildrenOf(tables), writer,
                options.Logger ?? Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance);
            await using var session = await ConnectAsync(options, run, cancellationToken).ConfigureAwait(false);
            var plan = RunPlanner.Plan(session.Units(run.Roots), shard);
            var notEntered = RunPlanner.Plan(session.UnitsNotEntered(run.Roots), shard);
            CollectorLog.RunStarted(run.Logger, runId, session.Accounts.Count, tables.Count, plan.Count, shard?.Label ?? "-", store.Location);
            var scheduler = new RunScheduler(options.Concurrency, progress, () => new(session.ApiCalls, session.Throttles, run.Errors.Count), clock);
            var entries = await scheduler.RunAsync(plan, session.FetchAsync, cancellationToken).ConfigureAwait(false);
            RunManifest manifest;
            try
            {
                manifest = await RunPublisher.PublishAsync(store, run, plan, entries, notEntered, session, clock, cancellationToken).ConfigureAwait(false);
            }
            catch (InventoryStoreException e)
            {
                // The store refused a write (a link out of it, a path it cannot hold): no manifest, so nothing of the run is visible.
                throw new CollectionException($"the run could not be published to {store.Location}: {e.Message}; nothing of it is visible (no manifest was written). Fix the store (cloudinv store check) and collect again.", e);
            }
            var errors = RunPublisher.SortedErrors(run);
            RecordRun(run.Logger, manifest, errors, session.ThrottlesByService, entries.Sum(e => e.Rows));
            return new CollectionResult(manifest, errors, session.Accounts, store.Location);
        }
        finally
        {
            (store as IDisposable)?.Dispose();
        }
    }

    // One session per cloud of the selected tables; a cloud that cannot start stops the run before anything is written.
    private static async Task<ICloudSession> ConnectAsync(CollectOptions options, RunContext run, CancellationToken cancellationToken)
    {
        var sessions = new Dictionary<Cloud, ICloudSession>();
        try
        {
            foreach (var cloud in run.Tables.Select(t => t.Cloud).Distinct().Order())
            {
                sessions[cloud] = await s_providers[cloud].ConnectAsync(options, run, cancellationToken).ConfigureAwait(false);
            }
        }
        catch
        {
            foreach (var session in sessions.Values) await session.DisposeAsync().ConfigureAwait(false);
            throw;
        }
        return sessions.Count == 1 ? sessions.Values.Single() : new MultiCloudSession(sessions);
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
            store = InventoryStores.Open(options.Store, options.StoreOptions);
            await store.EnsureWritableAsync(cancellationToken).ConfigureAwait(false);
            return store;
        }
        catch (Exception e) when (e is InventoryStoreException or ArgumentException or IOException or UnauthorizedAccessException or FormatException)
        {
            (store as IDisposable)?.Dispose();
            throw new CollectionException($"cannot write to the store '{options.Store}': {e.Message}", e);
        }
    }

    /// <summary>The tool version written into manifests (see <see cref="ToolVersionInfo"/>).</summary>
    public static string ToolVersion => ToolVersionInfo.Current.Version;

    /// <summary>
    /// The tables matching the globs (the curated ones of <paramref name="clouds"/> when there are none; AWS's when no
    /// clouds are given either), restricted to <paramref name="clouds"/> when given.
    /// </summary>
    /// <exception cref="CollectionException">A glob matches no table (of the clouds).</exception>
    public IReadOnlyList<Table> SelectTables(IReadOnlyList<string> globs, IReadOnlyList<Cloud>? clouds = null)
    {
        ArgumentNullException.ThrowIfNull(globs);
        if (globs.Count == 0)
        {
            return (clouds ?? [Cloud.Aws]).Distinct().SelectMany(_catalog.CuratedOf).ToList();
        }
        var picked = new List<Table>();
        foreach (var glob in globs)
        {
            // A plain curated name needs no discovery (which parses every service model).
            var matches = !glob.Contains('*', StringComparison.Ordinal) && !glob.Contains('?', StringComparison.Ordinal) && _catalog.Find(glob) is { Origin: TableOrigin.Curated } exact
                ? [exact]
                : _catalog.Matching(glob).ToList();
            if (matches.Count == 0)
            {
                throw new CollectionException($"no table matches '{glob}'{DidYouMean(EditDistance.Closest(glob, _catalog.Entries.Select(t => t.Name)))}; `cloudinv tables` lists them");
            }
            if (clouds is not null && matches.All(t => !clouds.Contains(t.Cloud)))
            {
                throw new CollectionException($"'{glob}' matches only {Table.CloudName(matches[0].Cloud)} tables, but the run collects {string.Join(", ", clouds.Select(Table.CloudName))}; add {Table.CloudName(matches[0].Cloud)} to --clouds");
            }
            picked.AddRange(clouds is null ? matches : matches.Where(t => clouds.Contains(t.Cloud)));
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

    /// <summary>
    /// One run, one layout: a run id reused with <c>--run-id</c> must keep the shard count its published manifests have
    /// (a second layout would count resources twice).
    /// </summary>
    private static async Task RefuseConflictingShardAsync(IInventoryStore store, string runId, string? shard, CancellationToken cancellationToken)
    {
        var shards = StoreLayout.ShardCount(shard);
        try
        {
            await foreach (var path in store.ListAsync(StoreLayout.ManifestsPrefix, cancellationToken).ConfigureAwait(false))
            {
                if (StoreLayout.ParseManifestPath(path) is not { } parsed || !parsed.Stem.StartsWith(runId, StringComparison.Ordinal)) continue;
                RunManifest existing;
                try
                {
                    existing = await store.ReadManifestAsync(path, cancellationToken).ConfigureAwait(false);
                }
                catch (Exception e) when (e is InventoryStoreException or IOException or UnauthorizedAccessException)
                {
                    continue;
                }
                if (existing.RunId != runId || StoreLayout.ShardCount(existing.Shard) == shards) continue;
                var theirs = existing.Shard is null ? "unsharded" : $"shard {existing.Shard}";
                var ours = shard is null ? "unsharded" : $"shard {shard}";
                throw new CollectionException($"--run-id {runId} is already in the store as {theirs} ({path}); a {ours} run with the same id would mix two shard layouts and count resources twice. Use a new run id (leave --run-id out) or the same --shard n.");
            }
        }
        catch (InventoryStoreException e)
        {
            throw new CollectionException($"cannot read the manifests of the store '{store.Location}': {e.Message}", e);
        }
    }

    private static string DidYouMean(string? near) => near is null ? "" : $" (did you mean '{near}'?)";
}
