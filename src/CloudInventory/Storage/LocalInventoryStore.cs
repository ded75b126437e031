using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using CloudInventory.Storage.Internal;

namespace CloudInventory.Storage;

/// <summary>
/// A store in a local directory. An object is written to <c>&lt;name&gt;.tmp-&lt;random&gt;</c> in its
/// target directory, flushed to disk, then renamed into place (and the directory flushed), so it is
/// either absent or complete under its final name. Temporary files are never listed; <see cref="RemoveStaleUploadsAsync"/>
/// deletes those a killed run left behind.
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
    public string FullPath(string path)
    {
        StoreLayout.ValidateRelativePath(path);
        return System.IO.Path.Combine(Root, path.Replace('/', System.IO.Path.DirectorySeparatorChar));
    }

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
    public Task<Stream> OpenReadAsync(string path, CancellationToken cancellationToken = default)
    {
        var full = FullPath(path);
        if (!File.Exists(full)) throw new FileNotFoundException($"{path} is not in the store {Root}", full);
        return Task.FromResult<Stream>(new FileStream(full, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.Asynchronous));
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
        foreach (var file in Directory.EnumerateFiles(Root, $"*{TemporaryMarker}*", SearchOption.AllDirectories))
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (!IsTemporary(System.IO.Path.GetFileName(file))) continue;
            try
            {
                if (File.GetLastWriteTimeUtc(file) >= cutoff) continue;
                File.Delete(file);
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
    public Task<RunManifest> ReadManifestAsync(string path, CancellationToken cancellationToken = default) =>
        RunManifestStorage.ReadAsync(this, path, cancellationToken);

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
        ArgumentNullException.ThrowIfNull(prefix);
        var slash = prefix.LastIndexOf('/');
        var directory = slash < 0 ? Root : FullPath(prefix[..slash]);
        var found = new List<(string Path, FileInfo File)>();
        if (!Directory.Exists(directory)) return found;
        foreach (var file in new DirectoryInfo(directory).EnumerateFiles("*", SearchOption.AllDirectories))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var relative = System.IO.Path.GetRelativePath(Root, file.FullName).Replace(System.IO.Path.DirectorySeparatorChar, '/');
            if (relative.StartsWith(prefix, StringComparison.Ordinal) && !IsTemporary(relative)) found.Add((relative, file));
        }
        found.Sort((a, b) => string.CompareOrdinal(a.Path, b.Path));
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
