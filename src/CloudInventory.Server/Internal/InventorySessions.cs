using CloudInventory.Query;

namespace CloudInventory.Server.Internal;

/// <summary>
/// The open databases over the store: one without tag scope, and a few more, each scoped to one tag filter (the views of
/// a scoped database show only the resources with that tag). A DuckDB connection serves one statement at a time, so each
/// database is leased to one request at a time.
/// </summary>
internal sealed class InventorySessions : IDisposable
{
    private const int MaxScoped = 4;
    private readonly DashboardServerOptions _options;
    private readonly Dictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    public InventorySessions(DashboardServerOptions options)
    {
        _options = options;
        // Opening the unscoped database checks the store at start-up (exists, has runs, manifests valid).
        _entries[""] = new Entry(Open(null));
    }

    public async Task<Lease> AcquireAsync(TagFilter? tag, CancellationToken cancellationToken)
    {
        var key = tag?.ToString() ?? "";
        Entry entry;
        lock (_lock)
        {
            if (!_entries.TryGetValue(key, out entry!))
            {
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
        }
        await entry.Gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        return new Lease(entry);
    }

    private InventoryDatabase Open(TagFilter? tag)
    {
        var o = _options.Database;
        return InventoryDatabase.Open(_options.Store, _options.Catalog, new InventoryDatabaseOptions
        {
            TagFilters = tag is null ? [] : [tag],
            CacheDirectory = o.CacheDirectory,
            // The hashes of verified files persist (as for the CLI), so a restarted server does not hash the store again.
            HashCacheDirectory = o.HashCacheDirectory,
            S3 = o.S3,
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
        private bool _retired;

        public InventoryDatabase Database { get; } = database;

        public SemaphoreSlim Gate { get; } = new(1, 1);

        public DateTime LastUsed { get; set; } = DateTime.UtcNow;

        /// <summary>Disposes the database once no request holds it.</summary>
        public void Retire()
        {
            _retired = true;
            if (Gate.Wait(0)) Close();
        }

        public void Release()
        {
            if (_retired) Close();
            else Gate.Release();
        }

        private void Close() => Database.Dispose();
    }

    /// <summary>One request's use of a database; disposing it lets the next request in.</summary>
    internal sealed class Lease(Entry entry) : IDisposable
    {
        private bool _disposed;

        public InventoryDatabase Database => entry.Database;

        public void Dispose()
        {
            if (_disposed) return;
            _disposed = true;
            entry.Release();
        }
    }
}
