namespace CloudInventory.Simulator.Server;

/// <summary>
/// What paged listings keep between pages, so that page N of a listing does not recompute the whole list: a
/// bounded least-recently-used map from (account, region, operation, date, input) to an entry (the responder keeps
/// the world's listing: its lightweight records and the way to build an item, not the items' JSON).
/// </summary>
internal sealed class PagedResultCache<TEntry>(int capacity) where TEntry : class
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, LinkedListNode<(string Key, TEntry Entry)>> _map = new(StringComparer.Ordinal);
    private readonly LinkedList<(string Key, TEntry Entry)> _order = new();

    public int Capacity => capacity;

    public int Count
    {
        get
        {
            lock (_lock) return _map.Count;
        }
    }

    /// <summary>The cached entry for <paramref name="key"/>, or the one <paramref name="create"/> makes (stored, evicting the oldest).</summary>
    public TEntry GetOrAdd(string key, Func<TEntry> create)
    {
        lock (_lock)
        {
            if (_map.TryGetValue(key, out var hit))
            {
                _order.Remove(hit);
                _order.AddFirst(hit);
                return hit.Value.Entry;
            }
        }
        // Built outside the lock: two requests for the same new key may both build it; the results are equal.
        var entry = create();
        lock (_lock)
        {
            if (_map.TryGetValue(key, out var raced)) return raced.Value.Entry;
            _map[key] = _order.AddFirst((key, entry));
            while (_map.Count > capacity && _order.Last is { } oldest)
            {
                _order.RemoveLast();
                _map.Remove(oldest.Value.Key);
            }
        }
        return entry;
    }
}
