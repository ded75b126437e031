namespace CloudInventory.Storage;

/// <summary>What a <see cref="StoreGarbageCollector"/> found and removed.</summary>
/// <param name="DryRun">Whether nothing was removed (<see cref="OrphanFiles"/> is then what would be).</param>
/// <param name="GracePeriod">The grace period applied.</param>
/// <param name="OrphanFiles">Run files no manifest lists, older than the grace period: removed (or, in a dry run, to be removed).</param>
/// <param name="RecentFiles">Run files no manifest lists yet, younger than the grace period: kept (a collection may still be running).</param>
/// <param name="BlockedFiles">Run files no manifest in use lists, in a partition with a manifest that is not used, or of a quarantined run: kept.</param>
/// <param name="UnreadableManifests">The manifests that could not be read or are not used.</param>
/// <param name="StaleUploads">The stale uploads and temporary files removed; null in a dry run (not looked at).</param>
public sealed record StoreGarbageCollectionResult(
    bool DryRun,
    TimeSpan GracePeriod,
    IReadOnlyList<StoredObject> OrphanFiles,
    IReadOnlyList<StoredObject> RecentFiles,
    IReadOnlyList<StoredObject> BlockedFiles,
    IReadOnlyList<UnreadableManifest> UnreadableManifests,
    int? StaleUploads)
{
    /// <summary>The total size of <see cref="OrphanFiles"/>.</summary>
    public long OrphanBytes => OrphanFiles.Sum(f => f.Bytes);

    /// <summary>What the listings skipped: symbolic links (never followed) and folders that cannot be read.</summary>
    public IReadOnlyList<SkippedEntry> Skipped { get; init; } = [];

    /// <summary>Whether some partitions were left alone because a manifest is not used or a folder cannot be read.</summary>
    public bool IsPartial => UnreadableManifests.Count > 0 || Skipped.Any(s => s.Kind == SkippedEntryKind.UnreadableFolder);
}
