using System.Globalization;

namespace CloudInventory.Collection;

/// <summary>
/// This worker's deterministic share of a run's work units (<c>--shard k/n</c>): a unit belongs to shard k when the
/// FNV-1a hash of its <see cref="WorkUnit.Key"/> modulo n is k − 1, so n workers with the same plan split it without talking.
/// </summary>
/// <param name="Index">k, 1-based.</param>
/// <param name="Count">n, the number of shards.</param>
public sealed record RunShard(int Index, int Count)
{
    /// <summary>The label written into manifests and file names: <c>k/n</c>.</summary>
    public string Label => $"{Index}/{Count}";

    /// <summary>Parses <c>k/n</c> with 1 ≤ k ≤ n; null for none.</summary>
    /// <exception cref="CollectionException">The text is not a shard.</exception>
    public static RunShard? Parse(string? shard)
    {
        if (shard is null) return null;
        var parts = shard.Split('/');
        if (parts.Length == 2 && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var k)
            && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= 1 && k >= 1 && k <= n)
        {
            return new RunShard(k, n);
        }
        throw new CollectionException($"--shard '{shard}' must be k/n with 1 <= k <= n, e.g. 2/4");
    }

    /// <summary>True when the unit is this shard's.</summary>
    public bool Includes(WorkUnit unit)
    {
        ArgumentNullException.ThrowIfNull(unit);
        return (int)(Fnv(unit.Key) % (ulong)Count) == Index - 1;
    }

    private static ulong Fnv(string text)
    {
        var h = 14695981039346656037UL;
        foreach (var c in text)
        {
            h ^= c;
            h *= 1099511628211UL;
        }
        return h;
    }
}
