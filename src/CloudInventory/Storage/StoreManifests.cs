using CloudInventory.Storage.Internal;

namespace CloudInventory.Storage;

/// <summary>
/// The run manifests of a store as every command sees them: read from <c>_runs/report_date=…/</c> (never through a
/// symbolic link), each checked against the layout's rules, and the manifests of one run id checked to agree on
/// its shard count. A manifest that cannot be read or breaks a rule is not used at all (never half-used) and is
/// named in <see cref="Rejected"/>; one bad manifest never hides the others.
/// </summary>
public sealed class StoreManifests
{
    private readonly HashSet<string> _listed;
    private readonly HashSet<DateOnly> _blocked;

    private readonly HashSet<string> _keptStems;

    private StoreManifests(IReadOnlyList<RunManifest> accepted, IReadOnlyList<UnreadableManifest> rejected, IReadOnlyList<SkippedEntry> skipped,
        IEnumerable<DateOnly> blockedDates, IEnumerable<string> keptStems)
    {
        _keptStems = keptStems.ToHashSet(StringComparer.Ordinal);
        Accepted = accepted;
        Rejected = rejected;
        Skipped = skipped;
        // An older manifest's errors file is its run's although it does not list it: queries read it by its layout.
        _listed = accepted.SelectMany(m => m.Files.Select(f => f.Path).Append(StoreLayout.UnlistedErrorsFilePath(m)).OfType<string>()).ToHashSet(StringComparer.Ordinal);
        _blocked = rejected.Select(r => r.ReportDate)
            .Concat(skipped.Where(s => s.Kind == SkippedEntryKind.UnreadableFolder).Select(s => StoreLayout.ReportDateOf(s.Path)).OfType<DateOnly>())
            .Concat(blockedDates)
            .ToHashSet();
        BlocksEverything = skipped.Any(s => s.Kind == SkippedEntryKind.UnreadableFolder && StoreLayout.ReportDateOf(s.Path) is null);
    }

    /// <summary>The manifests in use, by report date then path.</summary>
    public IReadOnlyList<RunManifest> Accepted { get; }

    /// <summary>The manifests not used, and why, by path.</summary>
    public IReadOnlyList<UnreadableManifest> Rejected { get; }

    /// <summary>What the listing of <c>_runs/</c> skipped: symbolic links and unreadable folders.</summary>
    public IReadOnlyList<SkippedEntry> Skipped { get; }

    /// <summary>True when the manifest folder itself (not one partition) cannot be read: nothing is known to be unlisted.</summary>
    public bool BlocksEverything { get; }

    /// <summary>
    /// Whether a manifest in use lists the store path <paramref name="path"/>, or owns it without listing it (an older
    /// manifest's errors file, see <see cref="StoreLayout.UnlistedErrorsFilePath"/>).
    /// </summary>
    public bool Lists(string path) => _listed.Contains(path);

    /// <summary>Whether the partition of <paramref name="reportDate"/> has a manifest that is not used or cannot be listed (what it lists is unknown).</summary>
    public bool IsBlocked(DateOnly reportDate) => BlocksEverything || _blocked.Contains(reportDate);

    /// <summary>
    /// Whether <c>store gc</c> must keep an unlisted run file: its partition is blocked (see <see cref="IsBlocked"/>), or its run
    /// and shard are those of a manifest that is not used or was quarantined (<see cref="StoreLayout.QuarantinePrefix"/>).
    /// </summary>
    public bool Keeps(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        return Lists(path) || _keptStems.Contains(StoreLayout.StemOf(path)) || (StoreLayout.ReportDateOf(path) is { } date && IsBlocked(date));
    }

    /// <summary>Reads and checks every manifest of <paramref name="store"/>.</summary>
    /// <exception cref="InventoryStoreException">The store cannot be listed (S3: bucket, credentials, endpoint).</exception>
    public static async Task<StoreManifests> ReadAsync(IInventoryStore store, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        var paths = new List<string>();
        await foreach (var path in store.ListAsync(StoreLayout.ManifestsPrefix, cancellationToken).ConfigureAwait(false))
        {
            if (path.EndsWith(".json", StringComparison.Ordinal) && StoreLayout.ReportDateOf(path) is not null) paths.Add(path);
        }
        var skipped = new List<SkippedEntry>();
        await foreach (var entry in store.ListSkippedAsync(StoreLayout.ManifestsPrefix, cancellationToken).ConfigureAwait(false)) skipped.Add(entry);

        var read = new List<(RunManifest Manifest, string Path)>();
        var rejected = new List<UnreadableManifest>();
        var blockedDates = new List<DateOnly>();
        var keptStems = new List<string>();
        await foreach (var path in store.ListAsync(StoreLayout.QuarantinePrefix, cancellationToken).ConfigureAwait(false))
        {
            keptStems.Add(StoreLayout.StemOf(path));
        }
        foreach (var path in paths)
        {
            var date = StoreLayout.ReportDateOf(path)!.Value;
            RunManifest manifest;
            try
            {
                manifest = await store.ReadManifestAsync(path, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is InventoryStoreException { NewerFormat: false } or IOException or UnauthorizedAccessException or ArgumentException)
            {
                // A manifest of a newer store format is not damage: it refuses the whole store (an older cloudinv must not half-read it).
                rejected.Add(new UnreadableManifest(path, date, $"{path} cannot be read: {e.Message}"));
                keptStems.Add(StoreLayout.StemOf(path));
                continue;
            }
            if (RunManifestRules.Check(manifest, path) is { } problem)
            {
                rejected.Add(new UnreadableManifest(path, date, $"{path} is not used: {problem.Reason}") { Problem = problem.Problem });
                Protect(manifest, path);
                continue;
            }
            read.Add((manifest, path));
        }

        // One run, one layout: the first published manifest of a run id sets its shard count.
        var accepted = new List<RunManifest>();
        foreach (var run in read.GroupBy(m => m.Manifest.RunId, StringComparer.Ordinal))
        {
            var ordered = run.OrderBy(m => m.Manifest.FinishedAt).ThenBy(m => m.Path, StringComparer.Ordinal).ToArray();
            var first = ordered[0];
            var shards = StoreLayout.ShardCount(first.Manifest.Shard);
            foreach (var (manifest, path) in ordered)
            {
                if (StoreLayout.ShardCount(manifest.Shard) == shards)
                {
                    accepted.Add(manifest);
                    continue;
                }
                rejected.Add(new UnreadableManifest(path, StoreLayout.ReportDateOf(path)!.Value,
                    $"{path} is not used: run {manifest.RunId} was published first as {Layout(shards)} ({first.Path}), this manifest is {(manifest.Shard is null ? "unsharded" : "shard " + manifest.Shard)}")
                { Problem = ManifestProblem.ConflictingShards });
                Protect(manifest, path);
            }
        }
        return new StoreManifests(
            accepted.OrderBy(m => m.ReportDate).ThenBy(m => m.Path, StringComparer.Ordinal).ToArray(),
            rejected.OrderBy(r => r.Path, StringComparer.Ordinal).ToArray(),
            skipped, blockedDates, keptStems);

        // What a manifest that is not used names stays: its files may be all that is left of a day.
        void Protect(RunManifest manifest, string path)
        {
            keptStems.Add(StoreLayout.StemOf(path));
            if (StoreLayout.IsRunId(manifest.RunId) && StoreLayout.ShardCount(manifest.Shard) is not null) keptStems.Add(StoreLayout.FileStem(manifest.RunId, manifest.Shard));
            blockedDates.Add(manifest.ReportDate);
            blockedDates.AddRange(manifest.Files.Select(f => StoreLayout.ReportDateOf(f.Path)).OfType<DateOnly>());
        }
    }

    private static string Layout(int? shards) => shards == 1 ? "unsharded" : $"{shards} shards";
}
