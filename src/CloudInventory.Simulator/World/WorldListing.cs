using System.Text.Json.Nodes;

namespace CloudInventory.Simulator.World;

/// <summary>
/// A listing's output with its result list kept as a count and a way to build the item at an index: the JSON of
/// the list exists only for the items asked for, so a listing of many thousand resources costs its lightweight
/// records, not their trees. Every built item is a new tree (nothing is shared between outputs), and building is
/// safe from several threads at once.
/// </summary>
internal sealed class WorldListing
{
    private readonly JsonObject _shell;
    private readonly Func<int, JsonNode?> _itemAt;

    /// <param name="shell">The output without its list: the list's member is present and null, so it keeps its place.</param>
    /// <param name="listPath">The dotted path of the list in the output.</param>
    /// <param name="count">How many items the list has.</param>
    /// <param name="itemAt">Builds the item at an index, a new tree every call.</param>
    public WorldListing(JsonObject shell, string listPath, int count, Func<int, JsonNode?> itemAt)
    {
        _shell = shell;
        ListPath = listPath;
        Count = count;
        _itemAt = itemAt;
    }

    /// <summary>The dotted path of the list in the output.</summary>
    public string ListPath { get; }

    /// <summary>How many items the list has.</summary>
    public int Count { get; }

    /// <summary>A listing of <paramref name="records"/>, the output nothing but the list (at <paramref name="listPath"/>).</summary>
    public static WorldListing Of<T>(string listPath, IReadOnlyList<T> records, Func<T, JsonNode?> build)
    {
        var shell = new JsonObject();
        ShapePaths.Set(shell, listPath, null);
        return new WorldListing(shell, listPath, records.Count, i => build(records[i]));
    }

    /// <summary>
    /// A listing over an output already built, its list (at <paramref name="listPath"/>) split off and its items
    /// cloned when asked for; null when the output has no list there. For small outputs the world does not list lazily.
    /// </summary>
    public static WorldListing? Split(JsonObject output, string listPath)
    {
        if (ShapePaths.Get(output, listPath) is not JsonArray all) return null;
        ShapePaths.Set(output, listPath, null);
        return new WorldListing(output, listPath, all.Count, i =>
        {
            lock (all) return all[i]?.DeepClone();
        });
    }

    /// <summary>The output with the items from <paramref name="start"/> (inclusive) to <paramref name="end"/> (exclusive) in its list.</summary>
    public JsonObject Build(int start, int end)
    {
        var (output, list, items) = Stream(start, end);
        foreach (var item in items) list.Add(item);
        return output;
    }

    /// <summary>
    /// The output with an empty array in place of its list, and the items from <paramref name="start"/> (inclusive)
    /// to <paramref name="end"/> (exclusive), each built when enumerated: for a writer that writes the items in the
    /// array's place one at a time, so that the page never exists as one tree.
    /// </summary>
    public (JsonObject Output, JsonArray List, IEnumerable<JsonNode?> Items) Stream(int start, int end)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(start);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(end, Count);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(start, end);
        JsonObject output;
        lock (_shell) output = (JsonObject)_shell.DeepClone();
        var list = new JsonArray();
        ShapePaths.Set(output, ListPath, list);
        return (output, list, Items(start, end));
    }

    private IEnumerable<JsonNode?> Items(int start, int end)
    {
        for (var i = start; i < end; i++) yield return _itemAt(i);
    }

    /// <summary>The whole output, every item in its list.</summary>
    public JsonObject ToJson() => Build(0, Count);
}
