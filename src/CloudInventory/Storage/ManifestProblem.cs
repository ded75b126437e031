namespace CloudInventory.Storage;

/// <summary>Why a run manifest in a store is not used (see <see cref="StoreManifests"/>).</summary>
public enum ManifestProblem
{
    /// <summary>It cannot be read: permission denied, gone while read, not valid JSON or not a manifest.</summary>
    Unreadable,
    /// <summary>It lists a path that is not a file of its run in the store layout (not relative or normalised, outside the layout, another run's or another day's file, a duplicate).</summary>
    InvalidPaths,
    /// <summary>It is not where its run id, shard and report date put it (a copy in another partition, a renamed file).</summary>
    Misplaced,
    /// <summary>Another manifest of the same run id, published first, has a different number of shards.</summary>
    ConflictingShards,
}
