using System.Text.Json.Nodes;

namespace CloudInventory.Simulator.Server;

/// <summary>
/// The full results of paged listings, kept so that page N of a listing does not regenerate the whole list:
/// a bounded least-recently-used map from (account, region, operation, date, input) to the world's output with
/// its result list split off. Entries are only read after they are stored (each read clones under the entry's lock).
/// </summary>
internal sealed class PagedResultCache(int capacity)
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, LinkedListNode<(string Key, Entry Entry)>> _map = new(StringComparer.Ordinal);
    private readonly LinkedList<(string Key, Entry Entry)> _order = new();

    /// <summary>The output without its result list (<see cref="Shell"/>) and the list's items.</summary>
    public sealed class Entry(JsonObject shell, JsonArray? all)
    {
        public JsonObject Shell { get; } = shell;

        public JsonArray? All { get; } = all;

        public Lock Lock { get; } = new();
    }

    public int Capacity => capacity;

    public int Count
    {
        get
        {
            lock (_lock) return _map.Count;
        }
    }

    /// <summary>The cached entry for <paramref name="key"/>, or the one <paramref name="create"/> makes (stored, evicting the oldest).</summary>
    public Entry GetOrAdd(string key, Func<Entry> create)
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
