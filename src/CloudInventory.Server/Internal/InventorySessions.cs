using CloudInventory.Query;

namespace CloudInventory.Server.Internal;

/// <summary>
/// The open databases over the store: one without tag scope, and a few more, each scoped to one tag filter (the views of
/// a scoped database show only the resources with that tag). A DuckDB connection serves one statement at a time, so each
/// database is leased to one request at a time. <see cref="Reload"/> retires them all (each closes when its request ends)
/// so the next requests read the store anew, with the runs published since. One request at a time works in any database
/// (a process-wide gate): so one DuckDB memory budget (<see cref="DashboardServerOptions.DuckDbMemoryBytes"/>) bounds the
/// whole server's DuckDB memory however many databases are open, and each database may use all of it (a diff over 100k-row
/// snapshots needs about 100 MB). On a machine of a few cores, parallel scans in two databases would not finish sooner.
/// </summary>
internal sealed class InventorySessions : IDisposable
{
    private const int MaxScoped = 2;
    private readonly SemaphoreSlim _work = new(1, 1);
    private readonly DashboardServerOptions _options;
    private readonly Dictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    private string? _notReady;

    public InventorySessions(DashboardServerOptions options)
    {
        _options = options;
        // Opening the unscoped database checks the store at start-up (exists, has runs, manifests valid); a scheduled
        // server may start on an empty store and waits for its first run.
        try
        {
            _entries[""] = new Entry(Open(null));
        }
        catch (InventoryQueryException e) when (options.StoreMayBeEmpty)
        {
            _notReady = e.Message;
        }
    }

    /// <summary>Why the store cannot be served yet, or null when it can.</summary>
    public string? NotReady
    {
        get
        {
            lock (_lock) return _notReady;
        }
    }

    /// <summary>Retires every open database and opens the store anew (a run was published).</summary>
    public void Reload()
    {
        InventoryDatabase? fresh = null;
        string? notReady = null;
        try
        {
            fresh = Open(null);
        }
        catch (InventoryQueryException e)
        {
            notReady = e.Message;
        }
        lock (_lock)
        {
            foreach (var e in _entries.Values) e.Retire();
            _entries.Clear();
            if (fresh is not null) _entries[""] = new Entry(fresh);
            _notReady = notReady;
        }
    }

    public async Task<Lease> AcquireAsync(TagFilter? tag, CancellationToken cancellationToken)
    {
        var key = tag?.ToString() ?? "";
        await _work.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            while (true)
            {
                var entry = EntryFor(key, tag);
                await entry.Gate.WaitAsync(cancellationToken).ConfigureAwait(false);
                if (entry.IsUsable) return new Lease(entry, _work);
                entry.Gate.Release(); // retired while this request waited (a reload): take the fresh one
            }
        }
        catch
        {
            _work.Release();
            throw;
        }
    }

    private Entry EntryFor(string key, TagFilter? tag)
    {
        lock (_lock)
        {
            if (!_entries.TryGetValue(key, out var entry))
            {
                if (_notReady is not null)
                {
                    throw new StoreNotReadyException($"no run to serve yet: {_notReady} A scheduled collection fills it; try again after its first run.");
                }
                if (_entries.Count > MaxScoped)
                {
                    var oldest = _entries.Where(e => e.Key.Length > 0).MinBy(e => e.Value.LastUsed);
                    _entries.Remove(oldest.Key);
                    oldest.Value.Retire();
                }
                entry = new Entry(Open(tag));
                _entries[key] = entry;
            }
            entry.LastUsed = DateTime.UtcNow;
            return entry;
        }
    }

    private InventoryDatabase Open(TagFilter? tag)
    {
        var o = _options.Database;
        return InventoryDatabase.Open(_options.Store, _options.Catalog, new InventoryDatabaseOptions
        {
            TagFilters = tag is null ? [] : [tag],
            // A tag-scoped database shares the unscoped one's manifests (one copy of the year's manifests, not one per scope).
            Manifests = tag is not null && _entries.TryGetValue("", out var unscoped) ? unscoped.Database.StoreManifests : null,
            CacheDirectory = o.CacheDirectory,
            // The hashes of verified files persist (as for the CLI), so a restarted server does not hash the store again.
            HashCacheDirectory = o.HashCacheDirectory,
            S3 = o.S3,
            // Each database may use the whole budget: only one works at a time.
            MemoryLimitBytes = _options.DuckDbMemoryBytes,
            Threads = _options.DuckDbThreads,
        });
    }

    public void Dispose()
    {
        lock (_lock)
        {
            foreach (var e in _entries.Values) e.Retire();
            _entries.Clear();
        }
    }

    internal sealed class Entry(InventoryDatabase database)
    {
        private volatile bool _retired;
        private int _closed;

        public InventoryDatabase Database { get; } = database;

        public SemaphoreSlim Gate { get; } = new(1, 1);

        public DateTime LastUsed { get; set; } = DateTime.UtcNow;

        /// <summary>False once retired: a request that got the gate afterwards lets it go and takes a fresh entry.</summary>
        public bool IsUsable => !_retired;

        /// <summary>Disposes the database once no request holds it; requests still waiting for it move on.</summary>
        public void Retire()
        {
            _retired = true;
            if (Gate.Wait(0))
            {
                Close();
                Gate.Release();
            }
        }

        public void Release()
        {
            if (_retired) Close();
            Gate.Release();
        }

        private void Close()
        {
            if (Interlocked.Exchange(ref _closed, 1) == 0) Database.Dispose();
        }
    }

    /// <summary>One request's use of a database; disposing it lets the next request in.</summary>
    internal sealed class Lease(Entry entry, SemaphoreSlim work) : IDisposable
    {
        private bool _disposed;

        public InventoryDatabase Database => entry.Database;

        public void Dispose()
        {
            if (_disposed) return;
            _disposed = true;
            entry.Release();
            work.Release();
        }
    }
}
