using System.Security.Cryptography;

namespace CloudInventory.Storage;

/// <summary>
/// <c>cloudinv store check</c>: a full verification of a store. Every manifest is read and checked (see
/// <see cref="StoreManifests"/>), every file it lists is hashed and compared with the manifest's size and SHA-256, and
/// the store is listed for orphans (what <c>store gc</c> would remove), symbolic links, unreadable folders, invalid
/// S3 keys and foreign files. With repair, manifests that are not used are moved to
/// <see cref="StoreLayout.QuarantinePrefix"/> (queries never read there; gc keeps their runs' files); a listed file is
/// never deleted or changed.
/// </summary>
public sealed class StoreIntegrityCheck
{
    private readonly IInventoryStore _store;
    private readonly TimeProvider _time;

    /// <summary>A check of <paramref name="store"/>, ages measured by <paramref name="timeProvider"/> (default the system clock).</summary>
    public StoreIntegrityCheck(IInventoryStore store, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        _store = store;
        _time = timeProvider ?? TimeProvider.System;
    }

    /// <summary>Checks the store and, with <paramref name="repair"/>, quarantines the manifests that are not used.</summary>
    /// <param name="gracePeriod">The grace period of the <c>store gc</c> preview (default 6 h).</param>
    /// <param name="repair">Move manifests that are not used to the quarantine folder.</param>
    /// <param name="cancellationToken">Cancels the check.</param>
    /// <exception cref="InventoryStoreException">The store cannot be listed.</exception>
    public async Task<StoreCheckReport> RunAsync(TimeSpan? gracePeriod = null, bool repair = false, CancellationToken cancellationToken = default)
    {
        var findings = new List<StoreProblem>();
        var manifests = await StoreManifests.ReadAsync(_store, cancellationToken).ConfigureAwait(false);
        foreach (var rejected in manifests.Rejected)
        {
            findings.Add(new StoreProblem(rejected.Problem switch
            {
                ManifestProblem.Unreadable => StoreProblemKind.UnreadableManifest,
                ManifestProblem.InvalidPaths => StoreProblemKind.BadManifest,
                ManifestProblem.Misplaced => StoreProblemKind.MisplacedManifest,
                _ => StoreProblemKind.ConflictingShards,
            }, rejected.Path, rejected.Reason));
        }

        var objects = new Dictionary<string, StoredObject>(StringComparer.Ordinal);
        await foreach (var entry in _store.ListObjectsAsync("", cancellationToken).ConfigureAwait(false)) objects[entry.Path] = entry;
        await foreach (var skipped in _store.ListSkippedAsync("", cancellationToken).ConfigureAwait(false))
        {
            findings.Add(skipped.Kind switch
            {
                SkippedEntryKind.SymbolicLink => new StoreProblem(StoreProblemKind.SymbolicLink, skipped.Path, $"a symbolic link to {skipped.Detail}; never followed, read or removed"),
                SkippedEntryKind.UnreadableFolder => new StoreProblem(StoreProblemKind.UnreadableFolder, skipped.Path, $"cannot be read ({skipped.Detail}); what is in it is unknown"),
                _ => new StoreProblem(StoreProblemKind.InvalidKey, skipped.Path, skipped.Detail),
            });
        }

        var filesVerified = 0;
        long bytesHashed = 0;
        foreach (var manifest in manifests.Accepted)
        {
            foreach (var file in manifest.Files)
            {
                cancellationToken.ThrowIfCancellationRequested();
                filesVerified++;
                if (!objects.TryGetValue(file.Path, out var stored))
                {
                    findings.Add(new StoreProblem(StoreProblemKind.MissingFile, file.Path, $"listed by {manifest.Path} but not in the store (or reached through a symbolic link)"));
                    continue;
                }
                if (stored.Bytes != file.Bytes)
                {
                    findings.Add(new StoreProblem(StoreProblemKind.SizeMismatch, file.Path, $"has {stored.Bytes} bytes, but {manifest.Path} says {file.Bytes}"));
                    continue;
                }
                if (file.Sha256.Length == 0) continue;
                var (sha, bytes, error) = await HashAsync(file.Path, cancellationToken).ConfigureAwait(false);
                bytesHashed += bytes;
                if (error is not null) findings.Add(new StoreProblem(StoreProblemKind.MissingFile, file.Path, $"listed by {manifest.Path} but cannot be read ({error})"));
                else if (!string.Equals(sha, file.Sha256, StringComparison.OrdinalIgnoreCase))
                {
                    findings.Add(new StoreProblem(StoreProblemKind.HashMismatch, file.Path, $"its SHA-256 is {sha}, but {manifest.Path} says {file.Sha256}: it changed after it was published"));
                }
            }
        }

        foreach (var path in objects.Keys)
        {
            if (StoreLayout.IsRunFile(path) || path.StartsWith(StoreLayout.QuarantinePrefix, StringComparison.Ordinal)) continue;
            if (path.StartsWith(StoreLayout.ManifestsPrefix, StringComparison.Ordinal))
            {
                if (path.EndsWith(".json", StringComparison.Ordinal) && StoreLayout.ReportDateOf(path) is not null) continue; // read above
                findings.Add(new StoreProblem(StoreProblemKind.MisplacedManifest, path, $"not a manifest in a {StoreLayout.PartitionColumn}= partition of {StoreLayout.ManifestsPrefix}; queries ignore it"));
                continue;
            }
            findings.Add(new StoreProblem(StoreProblemKind.ForeignFile, path, "not part of the store layout; never read or removed"));
        }

        var gc = await new StoreGarbageCollector(_store, _time).CollectAsync(
            new StoreGarbageCollectorOptions { DryRun = true, GracePeriod = gracePeriod ?? StoreGarbageCollectorOptions.DefaultGracePeriod }, cancellationToken).ConfigureAwait(false);
        foreach (var orphan in gc.OrphanFiles)
        {
            findings.Add(new StoreProblem(StoreProblemKind.OrphanFile, orphan.Path, "no manifest lists it (a killed run's file); store gc would remove it"));
        }

        var quarantined = new List<(string From, string To)>();
        if (repair)
        {
            foreach (var rejected in manifests.Rejected)
            {
                if (await QuarantineAsync(rejected.Path, objects.Keys, cancellationToken).ConfigureAwait(false) is { } target) quarantined.Add((rejected.Path, target));
            }
        }
        return new StoreCheckReport(_store.Location, findings.OrderBy(f => f.Path, StringComparer.Ordinal).ThenBy(f => f.Kind).ToArray(),
            manifests.Accepted.Count, filesVerified, bytesHashed, gc, quarantined);
    }

    private async Task<(string Sha256, long Bytes, string? Error)> HashAsync(string path, CancellationToken cancellationToken)
    {
        try
        {
            var stream = await _store.OpenReadAsync(path, cancellationToken).ConfigureAwait(false);
            await using (stream.ConfigureAwait(false))
            {
                using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
                var buffer = new byte[1 << 16];
                long bytes = 0;
                int read;
                while ((read = await stream.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
                {
                    hash.AppendData(buffer, 0, read);
                    bytes += read;
                }
                return (Convert.ToHexStringLower(hash.GetHashAndReset()), bytes, null);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InventoryStoreException)
        {
            return ("", 0, e.Message);
        }
    }

    /// <summary>Moves a manifest to the quarantine folder (copy, then delete the original); null when it cannot be read.</summary>
    private async Task<string?> QuarantineAsync(string path, IEnumerable<string> existing, CancellationToken cancellationToken)
    {
        byte[] content;
        try
        {
            var stream = await _store.OpenReadAsync(path, cancellationToken).ConfigureAwait(false);
            await using (stream.ConfigureAwait(false))
            {
                using var copy = new MemoryStream();
                await stream.CopyToAsync(copy, cancellationToken).ConfigureAwait(false);
                content = copy.ToArray();
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InventoryStoreException)
        {
            return null;
        }
        var taken = existing.ToHashSet(StringComparer.Ordinal);
        var target = StoreLayout.QuarantinePrefix + path;
        for (var n = 2; taken.Contains(target) || await _store.ExistsAsync(target, cancellationToken).ConfigureAwait(false); n++)
        {
            target = StoreLayout.QuarantinePrefix + path[..^".json".Length] + "." + n + ".json";
        }
        await _store.PublishAsync(target, content, cancellationToken).ConfigureAwait(false);
        await _store.DeleteAsync([path], cancellationToken).ConfigureAwait(false);
        return target;
    }
}
