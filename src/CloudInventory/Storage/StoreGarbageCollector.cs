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
/// files before its manifest); and any unlisted file in a report-date partition whose manifest cannot
/// be read (its list of files is unknown). Data files are listed before manifests, and before deleting,
/// manifests published meanwhile are read and the files listed again, so a run that finishes or a file
/// rewritten during collection is kept.
/// </remarks>
public sealed class StoreGarbageCollector
{
    private static readonly string[] RunFilePrefixes = ["aws/", "cloudinv/errors/"];
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
        var runFiles = await ListRunFilesAsync(cancellationToken).ConfigureAwait(false);
        var manifests = new ManifestIndex();
        await manifests.ReadNewAsync(_store, cancellationToken).ConfigureAwait(false);
        var (orphans, recent, blocked) = Classify(runFiles.Values, manifests, cutoff);

        if (!options.DryRun && orphans.Count > 0)
        {
            // A run may have finished, or a file been rewritten, since the listings: look again.
            await manifests.ReadNewAsync(_store, cancellationToken).ConfigureAwait(false);
            var current = await ListRunFilesAsync(cancellationToken).ConfigureAwait(false);
            var stillOrphans = orphans.Where(f => current.TryGetValue(f.Path, out var now) && now == f);
            var recheck = Classify(stillOrphans, manifests, cutoff);
            orphans = recheck.Orphans;
            blocked = [.. blocked, .. recheck.Blocked];
            if (orphans.Count > 0) await _store.DeleteAsync(orphans.Select(f => f.Path).ToList(), cancellationToken).ConfigureAwait(false);
        }
        int? staleUploads = options.DryRun ? null : await _store.RemoveStaleUploadsAsync(options.GracePeriod, cancellationToken).ConfigureAwait(false);
        return new StoreGarbageCollectionResult(options.DryRun, options.GracePeriod, orphans, recent, blocked, manifests.Unreadable, staleUploads);
    }

    private async Task<Dictionary<string, StoredObject>> ListRunFilesAsync(CancellationToken cancellationToken)
    {
        var files = new Dictionary<string, StoredObject>(StringComparer.Ordinal);
        foreach (var prefix in RunFilePrefixes)
        {
            await foreach (var entry in _store.ListObjectsAsync(prefix, cancellationToken).ConfigureAwait(false))
            {
                if (StoreLayout.IsRunFile(entry.Path)) files[entry.Path] = entry;
            }
        }
        return files;
    }

    private static (List<StoredObject> Orphans, List<StoredObject> Recent, List<StoredObject> Blocked) Classify(
        IEnumerable<StoredObject> runFiles, ManifestIndex manifests, DateTimeOffset cutoff)
    {
        List<StoredObject> orphans = [], recent = [], blocked = [];
        foreach (var file in runFiles.OrderBy(f => f.Path, StringComparer.Ordinal))
        {
            if (manifests.Lists(file.Path)) continue;
            if (manifests.IsBlocked(StoreLayout.ReportDateOf(file.Path)!.Value)) blocked.Add(file);
            else if (file.LastModified >= cutoff) recent.Add(file);
            else orphans.Add(file);
        }
        return (orphans, recent, blocked);
    }

    /// <summary>The files the store's manifests list, and the partitions whose manifests cannot be read.</summary>
    private sealed class ManifestIndex
    {
        private readonly HashSet<string> _read = new(StringComparer.Ordinal);
        private readonly HashSet<string> _listed = new(StringComparer.Ordinal);
        private readonly HashSet<DateOnly> _blocked = [];
        private readonly List<UnreadableManifest> _unreadable = [];

        public IReadOnlyList<UnreadableManifest> Unreadable => _unreadable;

        public bool Lists(string path) => _listed.Contains(path);

        public bool IsBlocked(DateOnly reportDate) => _blocked.Contains(reportDate);

        /// <summary>Reads the manifests not read yet: every <c>_runs/report_date=…/*.json</c>, as queries see them.</summary>
        public async Task ReadNewAsync(IInventoryStore store, CancellationToken cancellationToken)
        {
            var paths = new List<(string Path, DateOnly Date)>();
            await foreach (var path in store.ListAsync(StoreLayout.ManifestsPrefix, cancellationToken).ConfigureAwait(false))
            {
                if (path.EndsWith(".json", StringComparison.Ordinal) && StoreLayout.ReportDateOf(path) is { } date && !_read.Contains(path)) paths.Add((path, date));
            }
            foreach (var (path, date) in paths)
            {
                _read.Add(path);
                try
                {
                    var manifest = await store.ReadManifestAsync(path, cancellationToken).ConfigureAwait(false);
                    foreach (var file in manifest.Files) _listed.Add(file.Path);
                }
                catch (Exception ex) when (ex is InventoryStoreException or FileNotFoundException)
                {
                    _blocked.Add(date);
                    _unreadable.Add(new UnreadableManifest(path, date, ex.Message));
                }
            }
        }
    }
}
