namespace CloudInventory.Storage;

/// <summary>
/// Removes what killed collection runs left in a store: run files (table data and errors files, see
/// <see cref="StoreLayout.IsRunFile"/>) that no run manifest lists and that are older than a grace
/// period, plus stale temporary files and incomplete uploads (<see cref="IInventoryStore.RemoveStaleUploadsAsync"/>).
/// </summary>
/// <remarks>
/// Such files are invisible to queries, which read only files listed in manifests. What is never
/// removed: a file any manifest lists; manifests; anything whose path is not a run file's (a README,
/// other tools' files); a file younger than the grace period (a running collection publishes its
/// files before its manifest); any unlisted file in a report-date partition whose manifest cannot
/// be read or is not used (its list of files is unknown, see <see cref="StoreManifests"/>), or whose run is that of a
/// quarantined manifest; and anything reached through a symbolic link (links are never followed, see
/// <see cref="IInventoryStore.ListSkippedAsync"/>). Data files are listed before manifests, and before deleting,
/// manifests published meanwhile are read and the files listed again, so a run that finishes or a file
/// rewritten during collection is kept.
/// </remarks>
public sealed class StoreGarbageCollector
{
    private readonly IInventoryStore _store;
    private readonly TimeProvider _time;

    /// <summary>A collector of <paramref name="store"/>, ages measured by <paramref name="timeProvider"/> (default the system clock).</summary>
    public StoreGarbageCollector(IInventoryStore store, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        _store = store;
        _time = timeProvider ?? TimeProvider.System;
    }

    /// <summary>Finds the orphan run files and, unless <see cref="StoreGarbageCollectorOptions.DryRun"/>, removes them and stale uploads.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The grace period is negative.</exception>
    /// <exception cref="InventoryStoreException">The store cannot be listed or an object cannot be deleted.</exception>
    public async Task<StoreGarbageCollectionResult> CollectAsync(StoreGarbageCollectorOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new StoreGarbageCollectorOptions();
        if (options.GracePeriod < TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(options), "GracePeriod must not be negative");
        var cutoff = _time.GetUtcNow() - options.GracePeriod;

        // Run files first: a manifest published after this listing is still read below.
        var (runFiles, skipped) = await ListRunFilesAsync(cancellationToken).ConfigureAwait(false);
        var manifests = await StoreManifests.ReadAsync(_store, cancellationToken).ConfigureAwait(false);
        var (orphans, recent, blocked) = Classify(runFiles.Values, manifests, cutoff);
        var unreadable = manifests.Rejected.ToList();

        if (!options.DryRun && orphans.Count > 0)
        {
            // A run may have finished, or a file been rewritten, since the listings: look again.
            var again = await StoreManifests.ReadAsync(_store, cancellationToken).ConfigureAwait(false);
            var (current, _) = await ListRunFilesAsync(cancellationToken).ConfigureAwait(false);
            var stillOrphans = orphans.Where(f => current.TryGetValue(f.Path, out var now) && now == f && !manifests.Keeps(f.Path));
            var recheck = Classify(stillOrphans, again, cutoff);
            orphans = recheck.Orphans;
            blocked = [.. blocked, .. recheck.Blocked];
            unreadable.AddRange(again.Rejected.Where(r => !unreadable.Any(u => u.Path == r.Path)));
            if (orphans.Count > 0) await _store.DeleteAsync(orphans.Select(f => f.Path).ToList(), cancellationToken).ConfigureAwait(false);
        }
        int? staleUploads = options.DryRun ? null : await _store.RemoveStaleUploadsAsync(options.GracePeriod, cancellationToken).ConfigureAwait(false);
        return new StoreGarbageCollectionResult(options.DryRun, options.GracePeriod, orphans, recent, blocked, unreadable, staleUploads)
        {
            Skipped = [.. skipped, .. manifests.Skipped],
        };
    }

    private async Task<(Dictionary<string, StoredObject> Files, List<SkippedEntry> Skipped)> ListRunFilesAsync(CancellationToken cancellationToken)
    {
        var files = new Dictionary<string, StoredObject>(StringComparer.Ordinal);
        var skipped = new List<SkippedEntry>();
        foreach (var prefix in StoreLayout.RunFilePrefixes)
        {
            await foreach (var entry in _store.ListObjectsAsync(prefix, cancellationToken).ConfigureAwait(false))
            {
                if (StoreLayout.IsRunFile(entry.Path)) files[entry.Path] = entry;
            }
            await foreach (var entry in _store.ListSkippedAsync(prefix, cancellationToken).ConfigureAwait(false)) skipped.Add(entry);
        }
        return (files, skipped);
    }

    private static (List<StoredObject> Orphans, List<StoredObject> Recent, List<StoredObject> Blocked) Classify(
        IEnumerable<StoredObject> runFiles, StoreManifests manifests, DateTimeOffset cutoff)
    {
        List<StoredObject> orphans = [], recent = [], blocked = [];
        foreach (var file in runFiles.OrderBy(f => f.Path, StringComparer.Ordinal))
        {
            if (manifests.Lists(file.Path)) continue;
            if (manifests.Keeps(file.Path)) blocked.Add(file);
            else if (file.LastModified >= cutoff) recent.Add(file);
            else orphans.Add(file);
        }
        return (orphans, recent, blocked);
    }
}
