using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using CloudInventory.Storage.Internal;

namespace CloudInventory.Storage;

/// <summary>
/// A store in a local directory. An object is written to <c>&lt;name&gt;.tmp-&lt;random&gt;</c> in its
/// target directory, flushed to disk, then renamed into place (and the directory flushed), so it is
/// either absent or complete under its final name. Temporary files are never listed; <see cref="RemoveStaleUploadsAsync"/>
/// deletes those a killed run left behind. The store is a closed world: symbolic links inside it are never
/// followed, listed, read, written through or deleted (<see cref="ListSkippedAsync"/> names them).
/// </summary>
public sealed class LocalInventoryStore : IInventoryStore
{
    private const string TemporaryMarker = ".tmp-";

    /// <summary>A store rooted at <paramref name="rootDirectory"/> (created when first written).</summary>
    public LocalInventoryStore(string rootDirectory)
    {
        ArgumentException.ThrowIfNullOrEmpty(rootDirectory);
        Root = System.IO.Path.GetFullPath(rootDirectory);
    }

    /// <summary>The absolute root directory.</summary>
    public string Root { get; }

    /// <inheritdoc />
    public string Location => Root;

    /// <summary>The absolute local path of a store path.</summary>
    /// <exception cref="ArgumentException">It is not a store path.</exception>
    /// <exception cref="InventoryStoreException">A folder or the file on the way is a symbolic link (never followed).</exception>
    public string FullPath(string path) => ContainedPath.Resolve(Root, path);

    /// <inheritdoc />
    public async Task EnsureWritableAsync(CancellationToken cancellationToken = default)
    {
        var probe = System.IO.Path.Combine(Root, $".cloudinv-probe{TemporaryMarker}{RandomSuffix()}");
        try
        {
            Directory.CreateDirectory(Root);
            await File.WriteAllBytesAsync(probe, [1], cancellationToken).ConfigureAwait(false);
            File.Delete(probe);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw NotWritable(Root, ex);
        }
    }

    /// <inheritdoc />
    public async Task<PublishedFile> PublishFileAsync(string path, string sourceFile, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(sourceFile);
        var source = new FileStream(sourceFile, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.Asynchronous | FileOptions.SequentialScan);
        await using (source.ConfigureAwait(false))
        {
            return await PublishStreamAsync(path, source, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    public async Task<PublishedFile> PublishAsync(string path, ReadOnlyMemory<byte> content, CancellationToken cancellationToken = default)
    {
        using var source = new MemoryStream(content.ToArray(), writable: false);
        return await PublishStreamAsync(path, source, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public Task<Stream> OpenReadAsync(string path, CancellationToken cancellationToken = default) =>
        Task.FromResult<Stream>(new FileStream(ExistingPath(path), FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.Asynchronous));

    // The full path of a file of the store that must exist.
    private string ExistingPath(string path)
    {
        var full = FullPath(path);
        return File.Exists(full) ? full : throw new FileNotFoundException($"{path} is not in the store {Root}", full);
    }

    /// <inheritdoc />
    public Task<bool> ExistsAsync(string path, CancellationToken cancellationToken = default) => Task.FromResult(File.Exists(FullPath(path)));

    /// <inheritdoc />
    public async IAsyncEnumerable<string> ListAsync(string prefix, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        foreach (var (path, _) in Enumerate(prefix, cancellationToken))
        {
            yield return path;
        }
        await Task.CompletedTask.ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<StoredObject> ListObjectsAsync(string prefix, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        foreach (var (path, file) in Enumerate(prefix, cancellationToken))
        {
            StoredObject entry;
            try
            {
                entry = new StoredObject(path, file.Length, new DateTimeOffset(file.LastWriteTimeUtc, TimeSpan.Zero));
            }
            catch (FileNotFoundException)
            {
                continue; // Removed meanwhile.
            }
            yield return entry;
        }
        await Task.CompletedTask.ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<SkippedEntry> ListSkippedAsync(string prefix, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var skipped = new List<SkippedEntry>();
        Walk(prefix, skipped, cancellationToken);
        foreach (var entry in skipped.OrderBy(e => e.Path, StringComparer.Ordinal))
        {
            yield return entry;
        }
        await Task.CompletedTask.ConfigureAwait(false);
    }

    /// <inheritdoc />
    /// <remarks>Directories are left in place, even when emptied: a running collection may be about to write into them.</remarks>
    public Task DeleteAsync(IReadOnlyCollection<string> paths, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(paths);
        foreach (var path in paths)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var full = FullPath(path);
            try
            {
                File.Delete(full);
            }
            catch (DirectoryNotFoundException)
            {
                // No object there: nothing to delete.
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                throw new InventoryStoreException($"{path} could not be deleted from the store {Root} ({ex.Message}). Check that you may write to the store directory.", ex);
            }
        }
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task<int> RemoveStaleUploadsAsync(TimeSpan olderThan, CancellationToken cancellationToken = default)
    {
        if (!Directory.Exists(Root)) return Task.FromResult(0);
        var cutoff = DateTime.UtcNow - olderThan;
        var removed = 0;
        var files = new List<(string Path, FileInfo File)>();
        StoreTree.Walk(Root, Root, files, [], cancellationToken);
        foreach (var (_, info) in files)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (!IsTemporary(info.Name)) continue;
            try
            {
                info.Refresh();
                if (!info.Exists || info.LinkTarget is not null || info.LastWriteTimeUtc >= cutoff) continue;
                info.Delete();
                removed++;
            }
            catch (FileNotFoundException)
            {
                // Renamed or removed meanwhile by a running writer.
            }
        }
        return Task.FromResult(removed);
    }

    /// <inheritdoc />
    public Task<PublishedFile> WriteManifestAsync(RunManifest manifest, CancellationToken cancellationToken = default) =>
        RunManifestStorage.WriteAsync(this, manifest, cancellationToken);

    /// <inheritdoc />
    public Task<RunManifest> ReadManifestAsync(string path, CancellationToken cancellationToken = default)
    {
        // A manifest is a few kilobytes on a local disk: it is read in place, without the thread-pool hop of an asynchronous
        // read (which a short command pays for at start, once per manifest).
        try
        {
            return Task.FromResult(RunManifestStorage.Parse(this, path, File.ReadAllText(ExistingPath(path), System.Text.Encoding.UTF8)));
        }
        catch (Exception e)
        {
            return Task.FromException<RunManifest>(e);
        }
    }

    /// <inheritdoc />
    public IAsyncEnumerable<RunManifest> ListManifestsAsync(DateOnly from, DateOnly to, CancellationToken cancellationToken = default) =>
        RunManifestStorage.ListAsync(this, from, to, cancellationToken);

    /// <inheritdoc />
    public override string ToString() => Root;

    private async Task<PublishedFile> PublishStreamAsync(string path, Stream source, CancellationToken cancellationToken)
    {
        var target = FullPath(path);
        var directory = System.IO.Path.GetDirectoryName(target)!;
        var temporary = target + TemporaryMarker + RandomSuffix();
        try
        {
            Directory.CreateDirectory(directory);
            (long Bytes, string Sha256) written;
            var output = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.Asynchronous);
            await using (output.ConfigureAwait(false))
            {
                written = await HashingCopy.CopyAsync(source, output, cancellationToken).ConfigureAwait(false);
                output.Flush(flushToDisk: true);
            }
            File.Move(temporary, target, overwrite: true);
            _ = DirectorySync.Flush(directory);
            return new PublishedFile(path, written.Bytes, written.Sha256);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or OperationCanceledException)
        {
            TryDelete(temporary);
            if (ex is OperationCanceledException || ex is FileNotFoundException) throw;
            throw NotWritable(directory, ex);
        }
    }

    /// <summary>The published files under <paramref name="prefix"/> (no temporary files), in ordinal order of path.</summary>
    private List<(string Path, FileInfo File)> Enumerate(string prefix, CancellationToken cancellationToken)
    {
        var all = Walk(prefix, [], cancellationToken);
        var found = all.Where(f => !IsTemporary(f.Path)).ToList();
        found.Sort((a, b) => string.CompareOrdinal(a.Path, b.Path));
        return found;
    }

    /// <summary>Every regular file under <paramref name="prefix"/>, never through a symbolic link; links and unreadable folders go to <paramref name="skipped"/>.</summary>
    private List<(string Path, FileInfo File)> Walk(string prefix, List<SkippedEntry> skipped, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(prefix);
        var slash = prefix.LastIndexOf('/');
        var found = new List<(string Path, FileInfo File)>();
        string directory;
        try
        {
            directory = slash < 0 ? Root : FullPath(prefix[..slash]);
        }
        catch (InventoryStoreException)
        {
            // The prefix's folder is itself reached through a link: report the link, list nothing.
            StoreTree.Walk(Root, Root, [], skipped, cancellationToken);
            skipped.RemoveAll(e => !prefix.StartsWith(e.Path + "/", StringComparison.Ordinal));
            return found;
        }
        if (!Directory.Exists(directory)) return found;
        var inner = new List<SkippedEntry>();
        StoreTree.Walk(Root, directory, found, inner, cancellationToken);
        skipped.AddRange(inner.Where(e => e.Path.StartsWith(prefix, StringComparison.Ordinal) || (e.Path + "/").StartsWith(prefix, StringComparison.Ordinal)));
        found.RemoveAll(f => !f.Path.StartsWith(prefix, StringComparison.Ordinal));
        return found;
    }

    private static InventoryStoreException NotWritable(string directory, Exception ex) =>
        new($"The store directory {directory} is not writable ({ex.Message}). Check that the path is a directory you may write to, or choose another --store.", ex);

    private static bool IsTemporary(string name)
    {
        var index = name.LastIndexOf(TemporaryMarker, StringComparison.Ordinal);
        return index >= 0 && name.IndexOf('/', index) < 0;
    }

    private static string RandomSuffix() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6));

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Left for RemoveStaleUploadsAsync.
        }
    }
}
