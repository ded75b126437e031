namespace CloudInventory.Storage;

/// <summary>What <see cref="StoreIntegrityCheck"/> found (written in snake_case in JSON).</summary>
public enum StoreProblemKind
{
    /// <summary>A manifest that cannot be read (permission, not JSON, not a manifest).</summary>
    UnreadableManifest,
    /// <summary>A manifest that lists paths that are not files of its run (not normalised, outside the layout, another run's, twice).</summary>
    BadManifest,
    /// <summary>A manifest not where its run id, shard and date put it (a copy in another partition, a renamed file, a stray JSON file).</summary>
    MisplacedManifest,
    /// <summary>A manifest whose run id was published first with another shard count.</summary>
    ConflictingShards,
    /// <summary>A listed file that is not in the store.</summary>
    MissingFile,
    /// <summary>A listed file whose size is not its manifest's.</summary>
    SizeMismatch,
    /// <summary>A listed file whose SHA-256 is not its manifest's.</summary>
    HashMismatch,
    /// <summary>A symbolic link in a local store (never followed).</summary>
    SymbolicLink,
    /// <summary>A folder that cannot be read.</summary>
    UnreadableFolder,
    /// <summary>An S3 key that is not a store path (<c>..</c>, empty segments).</summary>
    InvalidKey,
    /// <summary>A run file no manifest lists, older than the grace period: <c>store gc</c> would remove it.</summary>
    OrphanFile,
    /// <summary>A file that is not part of the store layout (not a run file, manifest or quarantined manifest): never read, never removed.</summary>
    ForeignFile,
}
