namespace CloudInventory.Storage;

/// <summary>
/// Where snapshots are kept: a local directory or an S3 bucket and prefix. Every object becomes
/// visible only when complete (a local rename, an S3 put or multipart completion), so a killed run
/// never leaves half a file under its final name; and queries read only files listed in run
/// manifests, which are published last. Paths are relative to the store root, with forward slashes
/// (see <see cref="StoreLayout"/>).
/// </summary>
public interface IInventoryStore
{
    /// <summary>The store root as a user would write it: a directory or <c>s3://bucket/prefix</c>.</summary>
    string Location { get; }

    /// <summary>Checks that the store can be written, before any work starts.</summary>
    /// <exception cref="InventoryStoreException">It cannot; the message says why and what to check.</exception>
    Task EnsureWritableAsync(CancellationToken cancellationToken = default);

    /// <summary>Publishes a complete local file at <paramref name="path"/>, replacing any object there.</summary>
    /// <returns>The published path, size and SHA-256.</returns>
    Task<PublishedFile> PublishFileAsync(string path, string sourceFile, CancellationToken cancellationToken = default);

    /// <summary>Publishes <paramref name="content"/> at <paramref name="path"/>, replacing any object there.</summary>
    /// <returns>The published path, size and SHA-256.</returns>
    Task<PublishedFile> PublishAsync(string path, ReadOnlyMemory<byte> content, CancellationToken cancellationToken = default);

    /// <summary>Opens a published object for reading.</summary>
    /// <exception cref="FileNotFoundException">There is no object at <paramref name="path"/>.</exception>
    Task<Stream> OpenReadAsync(string path, CancellationToken cancellationToken = default);

    /// <summary>Whether an object is published at <paramref name="path"/>.</summary>
    Task<bool> ExistsAsync(string path, CancellationToken cancellationToken = default);

    /// <summary>The paths of the published objects whose path starts with <paramref name="prefix"/> (e.g. <c>_runs/</c>), in ordinal order.</summary>
    IAsyncEnumerable<string> ListAsync(string prefix, CancellationToken cancellationToken = default);

    /// <summary>
    /// The published objects whose path starts with <paramref name="prefix"/>, with their size and
    /// last-modified time, in ordinal order of path. Like <see cref="ListAsync"/>, never lists
    /// temporary files or incomplete uploads.
    /// </summary>
    /// <exception cref="InventoryStoreException">The store cannot be listed (S3: bucket, credentials, endpoint).</exception>
    IAsyncEnumerable<StoredObject> ListObjectsAsync(string prefix, CancellationToken cancellationToken = default);

    /// <summary>
    /// What a listing of <paramref name="prefix"/> skipped, by path: symbolic links and unreadable folders in a local
    /// store (links are never followed), keys that are not store paths in an S3 store.
    /// </summary>
    IAsyncEnumerable<SkippedEntry> ListSkippedAsync(string prefix, CancellationToken cancellationToken = default);

    /// <summary>
    /// Deletes the published objects at <paramref name="paths"/>; a path with no object is not an
    /// error. This is unconditional: callers decide what may go (see <see cref="StoreGarbageCollector"/>).
    /// </summary>
    /// <exception cref="InventoryStoreException">An object could not be deleted; the message names it.</exception>
    Task DeleteAsync(IReadOnlyCollection<string> paths, CancellationToken cancellationToken = default);

    /// <summary>
    /// Removes what killed runs left behind that is older than <paramref name="olderThan"/>:
    /// temporary files locally, incomplete multipart uploads on S3.
    /// </summary>
    /// <returns>How many were removed.</returns>
    Task<int> RemoveStaleUploadsAsync(TimeSpan olderThan, CancellationToken cancellationToken = default);

    /// <summary>
    /// Publishes a run manifest at <see cref="RunManifest.Path"/>, after checking that every file it
    /// lists is published: call it last.
    /// </summary>
    /// <exception cref="InventoryStoreException">A listed file is missing.</exception>
    Task<PublishedFile> WriteManifestAsync(RunManifest manifest, CancellationToken cancellationToken = default);

    /// <summary>Reads the run manifest at <paramref name="path"/>.</summary>
    /// <exception cref="FileNotFoundException">There is none.</exception>
    /// <exception cref="InventoryStoreException">It is not a valid manifest.</exception>
    Task<RunManifest> ReadManifestAsync(string path, CancellationToken cancellationToken = default);

    /// <summary>The run manifests whose report date is within [<paramref name="from"/>, <paramref name="to"/>], by report date then run id.</summary>
    IAsyncEnumerable<RunManifest> ListManifestsAsync(DateOnly from, DateOnly to, CancellationToken cancellationToken = default);
}
