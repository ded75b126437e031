using System.Runtime.CompilerServices;
using CloudInventory.Query;

namespace CloudInventory.Server.Internal;

/// <summary>
/// Answers of the costly API requests (diffs, churn, scanned trends) kept per open database, keyed by the request's path and
/// query and today's date (relative references such as <c>7d</c> move with it). A database is one set of manifests and its
/// runs' files never change, so an answer stays true as long as its database is open; a database opened again (a store
/// reloaded after a run, a tag scope evicted) starts empty, and the entries go with the database. At most
/// <see cref="Capacity"/> answers per database, the oldest dropped first.
/// </summary>
internal sealed class ResponseCache
{
    public const int Capacity = 64;
    private readonly ConditionalWeakTable<InventoryDatabase, Entries> _byDatabase = new();

    /// <summary>The cached answer to <paramref name="key"/> over <paramref name="database"/>, or <paramref name="compute"/>'s, then kept.</summary>
    public T GetOrAdd<T>(InventoryDatabase database, string key, Func<T> compute) where T : class
    {
        var entries = _byDatabase.GetValue(database, _ => new Entries());
        lock (entries)
        {
            if (entries.Answers.TryGetValue(key, out var cached) && cached is T hit) return hit;
        }
        var answer = compute();
        lock (entries)
        {
            if (entries.Answers.TryAdd(key, answer))
            {
                entries.Order.Enqueue(key);
                while (entries.Order.Count > Capacity) entries.Answers.Remove(entries.Order.Dequeue());
            }
        }
        return answer;
    }

    private sealed class Entries
    {
        public Dictionary<string, object> Answers { get; } = new(StringComparer.Ordinal);

        public Queue<string> Order { get; } = new();
    }
}
