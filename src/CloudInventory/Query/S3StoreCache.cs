using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using Amazon.Runtime;
using Amazon.S3;
using CloudInventory.Storage;
using CloudInventory.Storage.Internal;

namespace CloudInventory.Query;

/// <summary>
/// A local mirror of an S3 store, in the store layout, that the query layer reads. Opening syncs the
/// run manifests (new ones are downloaded, ones gone from the store are dropped); data files are
/// downloaded only when a query needs them (<see cref="EnsureFiles"/>), each once: a cached file is kept
/// while its size and SHA-256 match its manifest's. Downloads go to a temporary file in the same
/// directory, are checked against the manifest, and are renamed into place. A file the store does not have, or whose
/// download does not match its manifest, is not cached: <see cref="Problem"/> says why, and queries leave it out with a
/// warning, as they do a damaged file of a local store. Nothing is written to the store.
/// </summary>
public sealed class S3StoreCache : IDisposable
{
    /// <summary>The environment variable that overrides the default cache base directory.</summary>
    public const string CacheDirectoryVariable = "CLOUDINV_CACHE_DIR";

    private const int Parallelism = 4;
    private readonly S3InventoryStore _store;
    private readonly Dictionary<string, CachedFileInfo> _expected = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, bool> _checked = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, string> _problems = new(StringComparer.Ordinal);
    private long _downloadedFiles;
    private long _downloadedBytes;

    /// <summary>A cache of <paramref name="store"/> in <paramref name="directory"/> (the store's own cache directory; see <see cref="DirectoryFor"/>).</summary>
    public S3StoreCache(S3InventoryStore store, string directory)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentException.ThrowIfNullOrEmpty(directory);
        _store = store;
        Root = Path.GetFullPath(directory);
    }

    /// <summary>A cache of the store <paramref name="options"/> names, in its directory under <paramref name="baseDirectory"/> (see <see cref="DirectoryFor"/>).</summary>
    /// <exception cref="InventoryQueryException">No S3 client can be made from the options and environment (region, credentials, endpoint).</exception>
    public static S3StoreCache Create(S3InventoryStoreOptions options, string baseDirectory)
    {
        ArgumentNullException.ThrowIfNull(options);
        S3InventoryStore store;
        try
        {
            store = new S3InventoryStore(options);
        }
        catch (Exception e) when (e is AmazonClientException or ArgumentException)
        {
            throw new InventoryQueryException($"store s3://{options.Bucket}/{options.Prefix}: no S3 client ({FirstLine(e.Message)}). Check the region, credentials and endpoint.", e);
        }
        return new S3StoreCache(store, DirectoryFor(baseDirectory, options));
    }

    /// <summary>The cache directory of this store: a mirror of the store layout.</summary>
    public string Root { get; }

    /// <summary>The store's location, <c>s3://bucket/prefix</c>.</summary>
    public string Location => _store.Location;

    /// <summary>The cached manifests (store-relative paths and sizes) the last <see cref="SyncManifestsAsync"/> removed because the store no longer has them.</summary>
    public IReadOnlyList<(string Path, long Bytes)> DroppedManifests { get; private set; } = [];

    /// <summary>The cached manifests as checked after the last <see cref="SyncManifestsAsync"/> (null before).</summary>
    public StoreManifests? Manifests { get; private set; }

    /// <summary>The files downloaded by this instance so far.</summary>
    public long DownloadedFiles => Interlocked.Read(ref _downloadedFiles);

    /// <summary>The bytes downloaded by this instance so far.</summary>
    public long DownloadedBytes => Interlocked.Read(ref _downloadedBytes);

    /// <summary>
    /// The base directory of all store caches: <paramref name="explicitDirectory"/> if given, else
    /// <c>$CLOUDINV_CACHE_DIR</c>, else <c>~/.cache/cloudinv/stores</c> (<c>$XDG_CACHE_HOME/cloudinv/stores</c> when set).
    /// </summary>
    public static string BaseDirectory(string? explicitDirectory = null)
    {
        if (!string.IsNullOrEmpty(explicitDirectory)) return Path.GetFullPath(explicitDirectory);
        var fromEnvironment = Environment.GetEnvironmentVariable(CacheDirectoryVariable);
        if (!string.IsNullOrEmpty(fromEnvironment)) return Path.GetFullPath(fromEnvironment);
        var xdg = Environment.GetEnvironmentVariable("XDG_CACHE_HOME");
        var cacheHome = !string.IsNullOrEmpty(xdg) ? xdg : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache");
        return Path.Combine(cacheHome, "cloudinv", "stores");
    }

    /// <summary>
    /// Where the hashes of verified local store files are kept under the caches' <paramref name="baseDirectory"/>:
    /// <c>_hashes</c> (not a bucket name, which cannot contain an underscore).
    /// </summary>
    public static string HashesDirectory(string baseDirectory)
    {
        ArgumentException.ThrowIfNullOrEmpty(baseDirectory);
        return Path.Combine(baseDirectory, "_hashes");
    }

    /// <summary>
    /// The cache directory of one store under <paramref name="baseDirectory"/>: <c>&lt;bucket&gt;/&lt;first 16 hex of SHA-256 of the prefix&gt;</c>.
    /// </summary>
    public static string DirectoryFor(string baseDirectory, S3InventoryStoreOptions store)
    {
        ArgumentException.ThrowIfNullOrEmpty(baseDirectory);
        ArgumentNullException.ThrowIfNull(store);
        var prefixHash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(store.Prefix.Trim('/'))))[..16];
        return Path.Combine(baseDirectory, store.Bucket, prefixHash);
    }

    /// <summary>
    /// Brings the cached manifests in line with the store's: downloads those not cached yet and removes
    /// cached ones the store no longer has. Manifests are immutable once published, so a cached one is not fetched again.
    /// </summary>
    /// <returns>The number of manifests downloaded.</returns>
    /// <exception cref="InventoryQueryException">The store cannot be listed or read (bucket, credentials, endpoint), or a manifest is not valid JSON.</exception>
    public async Task<int> SyncManifestsAsync(CancellationToken cancellationToken = default)
    {
        var remote = new List<string>();
        await Guard(async () =>
        {
            await foreach (var path in _store.ListAsync(StoreLayout.ManifestsPrefix, cancellationToken).ConfigureAwait(false))
            {
                if (path.EndsWith(".json", StringComparison.Ordinal) && StoreLayout.ReportDateOf(path) is not null) remote.Add(path);
            }
        }).ConfigureAwait(false);
        var remoteSet = remote.ToHashSet(StringComparer.Ordinal);
        var dropped = new List<(string, long)>();
        foreach (var (relative, info) in CachedFiles(Root, StoreLayout.ManifestsPrefix))
        {
            if (remoteSet.Contains(relative)) continue;
            dropped.Add((relative, info.Length));
            info.Delete();
        }
        DroppedManifests = dropped;
        var missing = remote.Where(p => !File.Exists(LocalPath(p))).ToArray();
        await Parallel.ForEachAsync(missing, new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = cancellationToken },
            async (path, ct) => await Guard(() => DownloadAsync(path, null, ct)).ConfigureAwait(false)).ConfigureAwait(false);
        _expected.Clear();
        _checked.Clear();
        _problems.Clear();
        Manifests = await StoreManifests.ReadAsync(new LocalInventoryStore(Root), cancellationToken).ConfigureAwait(false);
        foreach (var file in Manifests.Accepted.SelectMany(m => m.Files)) _expected[file.Path] = new CachedFileInfo(file.Path, file.Bytes, file.Sha256);
        return missing.Length;
    }

    /// <summary>
    /// Makes sure the store-relative files are in the cache, downloading (in parallel) those missing or
    /// not matching their manifest's size. A file is checked at most once per instance. A file the store does not have,
    /// or whose download does not match its manifest's size and SHA-256, is left out of the cache and named by <see cref="Problem"/>.
    /// </summary>
    /// <returns>The number of files downloaded.</returns>
    /// <exception cref="InventoryQueryException">The store cannot be read (bucket, credentials, endpoint).</exception>
    public int EnsureFiles(IEnumerable<string> relativePaths)
    {
        ArgumentNullException.ThrowIfNull(relativePaths);
        var wanted = relativePaths.Distinct(StringComparer.Ordinal).Where(p => !_checked.ContainsKey(p)).ToArray();
        if (wanted.Length == 0) return 0;
        var downloaded = 0;
        Parallel.ForEachAsync(wanted, new ParallelOptions { MaxDegreeOfParallelism = Parallelism }, async (path, ct) =>
        {
            try
            {
                if (await EnsureFileAsync(path, ct).ConfigureAwait(false)) Interlocked.Increment(ref downloaded);
            }
            catch (InvalidDataException e)
            {
                _problems[path] = e.Message;
            }
            catch (InventoryQueryException e) when (e.InnerException is FileNotFoundException)
            {
                _problems[path] = $"is missing from {Location}";
            }
            _checked[path] = true;
        }).GetAwaiter().GetResult();
        return downloaded;
    }

    /// <summary>
    /// Downloads a listed file again although a copy is cached (the copy failed verification: the cache was damaged, not
    /// necessarily the store). Afterwards the file is cached and matches its manifest, or <see cref="Problem"/> says why not.
    /// </summary>
    /// <exception cref="InventoryQueryException">The store cannot be read (bucket, credentials, endpoint).</exception>
    /// <exception cref="InventoryStoreException">The cached copy is reached through a symbolic link (never followed).</exception>
    /// <exception cref="IOException">The cached copy cannot be removed.</exception>
    public void Refetch(string relativePath)
    {
        ArgumentException.ThrowIfNullOrEmpty(relativePath);
        var local = LocalPath(relativePath);
        if (File.Exists(local)) File.Delete(local);
        _checked.TryRemove(relativePath, out _);
        _problems.TryRemove(relativePath, out _);
        EnsureFiles([relativePath]);
    }

    /// <summary>
    /// Why a listed file that <see cref="EnsureFiles"/> was asked for is not in the cache (a phrase to follow its path: the
    /// store does not have it, or its download does not match its manifest), or null when it is.
    /// </summary>
    public string? Problem(string relativePath) => _problems.GetValueOrDefault(relativePath);

    /// <summary>
    /// Makes sure a file that a run may or may not have written (an errors file of an older manifest that does not list it) is
    /// cached if the store has it.
    /// </summary>
    /// <returns>True if the file is in the cache afterwards.</returns>
    public bool EnsureOptionalFile(string relativePath)
    {
        ArgumentException.ThrowIfNullOrEmpty(relativePath);
        if (_expected.ContainsKey(relativePath))
        {
            EnsureFiles([relativePath]);
            return Problem(relativePath) is null;
        }
        if (_checked.TryGetValue(relativePath, out var present)) return present;
        var local = LocalPath(relativePath);
        if (File.Exists(local))
        {
            _checked[relativePath] = true;
            return true;
        }
        try
        {
            Guard(() => DownloadAsync(relativePath, null, CancellationToken.None)).GetAwaiter().GetResult();
            _checked[relativePath] = true;
            return true;
        }
        catch (InventoryQueryException e) when (e.InnerException is FileNotFoundException)
        {
            _checked[relativePath] = false;
            return false;
        }
    }

    /// <summary>
    /// Removes from one store's cache directory the files no cached manifest lists, leftover temporary files, and
    /// (with <paramref name="unusedSince"/>) listed files not used since then; with <paramref name="everything"/>, all of it.
    /// Manifests stay unless <paramref name="everything"/>. Empty directories are removed.
    /// </summary>
    /// <returns>The files removed (store-relative paths) and their sizes.</returns>
    public static IReadOnlyList<(string Path, long Bytes)> Prune(string storeCacheDirectory, DateTime? unusedSince = null, bool everything = false)
    {
        ArgumentException.ThrowIfNullOrEmpty(storeCacheDirectory);
        var root = Path.GetFullPath(storeCacheDirectory);
        var removed = new List<(string, long)>();
        if (!Directory.Exists(root)) return removed;
        var manifests = everything ? null : StoreManifests.ReadAsync(new LocalInventoryStore(root)).GetAwaiter().GetResult();
        var manifestPaths = (manifests?.Accepted ?? []).Select(m => m.Path).ToHashSet(StringComparer.Ordinal);
        foreach (var (relative, info) in CachedFiles(root, ""))
        {
            var isManifest = manifestPaths.Contains(relative);
            var keep = manifests is not null && (isManifest || manifests.Lists(relative)) && !relative.Contains(".tmp-", StringComparison.Ordinal)
                && (isManifest || unusedSince is null || info.LastAccessTimeUtc >= unusedSince.Value);
            if (keep) continue;
            var bytes = info.Length;
            info.Delete();
            removed.Add((relative, bytes));
        }
        RemoveEmptyDirectories(root);
        return removed;
    }

    /// <inheritdoc />
    public void Dispose() => _store.Dispose();

    private async Task<bool> EnsureFileAsync(string path, CancellationToken cancellationToken)
    {
        var local = LocalPath(path);
        _expected.TryGetValue(path, out var expected);
        if (File.Exists(local) && (expected is null || Matches(local, expected)))
        {
            File.SetLastAccessTimeUtc(local, DateTime.UtcNow);
            return false;
        }
        await Guard(() => DownloadAsync(path, expected, cancellationToken)).ConfigureAwait(false);
        return true;
    }

    /// <summary>
    /// A cached file matches when its size is the manifest's: only <see cref="DownloadAsync"/> puts files under their final
    /// names, after checking size and SHA-256, so the hash is not recomputed on every use.
    /// </summary>
    private static bool Matches(string local, CachedFileInfo expected) =>
        expected.Bytes < 0 || new FileInfo(local).Length == expected.Bytes;

    private async Task DownloadAsync(string path, CachedFileInfo? expected, CancellationToken cancellationToken)
    {
        var local = LocalPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(local)!);
        var temp = local + ".tmp-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4));
        try
        {
            long bytes;
            string sha256;
            var source = await _store.OpenReadAsync(path, cancellationToken).ConfigureAwait(false);
            await using (source.ConfigureAwait(false))
            {
                var target = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, FileOptions.Asynchronous);
                await using (target.ConfigureAwait(false))
                {
                    using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
                    var buffer = new byte[1 << 16];
                    bytes = 0;
                    int read;
                    while ((read = await source.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
                    {
                        hash.AppendData(buffer, 0, read);
                        await target.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
                        bytes += read;
                    }
                    sha256 = Convert.ToHexStringLower(hash.GetHashAndReset());
                }
            }
            // Phrases that follow the file's path in a warning (see Problem).
            if (expected is not null && expected.Bytes >= 0 && bytes != expected.Bytes)
            {
                throw new InvalidDataException($"has {bytes} bytes in {Location}, but its manifest says {expected.Bytes}");
            }
            if (expected is not null && expected.Sha256.Length > 0 && !string.Equals(sha256, expected.Sha256, StringComparison.OrdinalIgnoreCase))
            {
                throw new InvalidDataException($"has SHA-256 {sha256} in {Location}, but its manifest says {expected.Sha256}: it changed after it was published, or the download is corrupt");
            }
            File.Move(temp, local, overwrite: true);
            Interlocked.Increment(ref _downloadedFiles);
            Interlocked.Add(ref _downloadedBytes, bytes);
        }
        finally
        {
            if (File.Exists(temp)) File.Delete(temp);
        }
    }

    private async Task Guard(Func<Task> action)
    {
        try
        {
            await action().ConfigureAwait(false);
        }
        catch (FileNotFoundException e)
        {
            throw new InventoryQueryException($"{e.Message}.", e);
        }
        catch (InventoryStoreException e)
        {
            throw new InventoryQueryException(e.Message, e);
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound && e.ErrorCode == "NoSuchBucket")
        {
            throw new InventoryQueryException($"store {Location}: the bucket does not exist (NoSuchBucket). Check --store and the endpoint.", e);
        }
        catch (AmazonServiceException e)
        {
            throw new InventoryQueryException($"store {Location} cannot be read ({e.ErrorCode ?? e.StatusCode.ToString()}: {e.Message}). Check the bucket, credentials and endpoint.", e);
        }
        catch (AmazonClientException e) when (e.Message.Contains("resolve AWS credentials", StringComparison.OrdinalIgnoreCase))
        {
            throw new InventoryQueryException($"store {Location}: no AWS credentials found (set AWS_PROFILE, or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or sign in with aws sso login).", e);
        }
        catch (Exception e) when (e is AmazonClientException or HttpRequestException)
        {
            throw new InventoryQueryException($"store {Location} cannot be reached ({FirstLine(e.Message)}). Check the credentials (AWS_PROFILE, AWS_ACCESS_KEY_ID…) and the endpoint (AWS_ENDPOINT_URL_S3).", e);
        }
    }

    private static string FirstLine(string text)
    {
        var newline = text.IndexOf('\n', StringComparison.Ordinal);
        return (newline < 0 ? text : text[..newline]).TrimEnd('\r', '.');
    }

    private string LocalPath(string relativePath) => ContainedPath.Resolve(Root, relativePath);

    /// <summary>The regular files of a cache directory under <paramref name="prefix"/> (temporary files too), never through a symbolic link.</summary>
    private static List<(string Path, FileInfo File)> CachedFiles(string root, string prefix)
    {
        var files = new List<(string Path, FileInfo File)>();
        var start = prefix.Length == 0 ? root : Path.Combine(root, prefix.TrimEnd('/'));
        if (!Directory.Exists(start) || ContainedPath.IsLink(start)) return files;
        StoreTree.Walk(root, start, files, [], CancellationToken.None);
        return files;
    }

    private static void RemoveEmptyDirectories(string directory)
    {
        foreach (var child in new DirectoryInfo(directory).EnumerateDirectories().Where(d => d.LinkTarget is null).Select(d => d.FullName).ToArray())
        {
            RemoveEmptyDirectories(child);
            if (!Directory.EnumerateFileSystemEntries(child).Any()) Directory.Delete(child);
        }
    }

    private sealed record CachedFileInfo(string Path, long Bytes, string Sha256);
}
