using CloudInventory.Aws.Protocols;

namespace CloudInventory.Collection.Internal;

/// <summary>
/// Counts one work unit's malformed values (tolerant reading) per (table, operation, member path), keeping the first
/// offending text of each, so a member that is broken on every row becomes one warning with a count, not a million.
/// Safe to use from the unit's concurrent child-table and enrichment calls.
/// </summary>
internal sealed class MalformedValueCounts
{
    private readonly Dictionary<(string Table, string Operation, string Path), Entry> _entries = [];

    public void Add(string table, string operation, MalformedValue value)
    {
        lock (_entries)
        {
            var key = (table, operation, value.MemberPath);
            if (_entries.TryGetValue(key, out var entry)) entry.Count++;
            else _entries[key] = new Entry(value) { Count = 1 };
        }
    }

    public void AddAll(string table, string operation, IReadOnlyList<MalformedValue> values)
    {
        foreach (var value in values) Add(table, operation, value);
    }

    /// <summary>The warnings of the unit, one per (table, operation, member path).</summary>
    public IEnumerable<CollectionError> ToWarnings(string accountId, string region)
    {
        lock (_entries)
        {
            return _entries.Select(kv => new CollectionError(accountId, region, kv.Key.Table, kv.Key.Operation, CollectionError.MalformedValueCode,
                    Message(kv.Value), 1, null,
                    ErrorSeverity.Warning, kv.Key.Path, kv.Value.First.Text, kv.Value.Count))
                .ToList();
        }
    }

    private static string Message(Entry entry) =>
        $"member '{entry.First.MemberPath}' is not a valid {entry.First.Type}: '{entry.First.Text}' (read as null; {(entry.Count == 1 ? "once" : $"{entry.Count} times")})";

    private sealed class Entry(MalformedValue first)
    {
        public MalformedValue First { get; } = first;

        public long Count;
    }
}
