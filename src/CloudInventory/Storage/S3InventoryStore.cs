using System.Net;
using System.Runtime.CompilerServices;
using Amazon;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using CloudInventory.Storage.Internal;

namespace CloudInventory.Storage;

/// <summary>
/// A store in an S3 bucket under a prefix. Small objects are written with one put, large files by
/// multipart upload (aborted on failure), so an object is visible only once complete. Each object
/// carries its SHA-256 in the <c>x-amz-meta-sha256</c> metadata, and its size is checked after
/// upload. For S3-compatible servers, see <see cref="S3InventoryStoreOptions.UseChunkEncoding"/>
/// and <see cref="S3InventoryStoreOptions.ForcePathStyle"/>.
/// </summary>
public sealed class S3InventoryStore : IInventoryStore, IDisposable
{
    private const long MinimumPartSize = 5L * 1024 * 1024;
    private const string Sha256Metadata = "sha256";
    private readonly IAmazonS3 _client;
    private readonly bool _ownsClient;
    private readonly S3InventoryStoreOptions _options;
    private readonly string _keyPrefix;

    /// <summary>A store that makes its own S3 client from <paramref name="options"/>.</summary>
    public S3InventoryStore(S3InventoryStoreOptions options) : this(CreateClient(options), options, ownsClient: true) { }

    /// <summary>A store that uses <paramref name="client"/> (not disposed with the store).</summary>
    public S3InventoryStore(IAmazonS3 client, S3InventoryStoreOptions options) : this(client, options, ownsClient: false) { }

    private S3InventoryStore(IAmazonS3 client, S3InventoryStoreOptions options, bool ownsClient)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrEmpty(options.Bucket);
        if (options.PartSize < MinimumPartSize) throw new ArgumentOutOfRangeException(nameof(options), "PartSize must be at least 5 MiB");
        if (options.MultipartThreshold < 1) throw new ArgumentOutOfRangeException(nameof(options), "MultipartThreshold must be positive");
        _client = client;
        _ownsClient = ownsClient;
        _options = options;
        var prefix = options.Prefix.Trim('/');
        _keyPrefix = prefix.Length == 0 ? "" : prefix + "/";
    }

    /// <inheritdoc />
    public string Location => $"s3://{_options.Bucket}/{_keyPrefix.TrimEnd('/')}";

    /// <summary>The S3 client of the store.</summary>
    public IAmazonS3 Client => _client;

    /// <summary>The S3 key of a store path.</summary>
    public string KeyOf(string path)
    {
        StoreLayout.ValidateRelativePath(path);
        return _keyPrefix + path;
    }

    /// <inheritdoc />
    public async Task EnsureWritableAsync(CancellationToken cancellationToken = default)
    {
        var key = _keyPrefix + "_cloudinv/probe-" + Guid.NewGuid().ToString("N");
        try
        {
            await PutAsync(key, new MemoryStream([1], writable: false), null, cancellationToken).ConfigureAwait(false);
            await _client.DeleteObjectAsync(_options.Bucket, key, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is AmazonServiceException or AmazonClientException or HttpRequestException)
        {
            throw Failure($"The S3 store {Location} is not writable", ex);
        }
    }

    /// <inheritdoc />
    public async Task<PublishedFile> PublishFileAsync(string path, string sourceFile, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(sourceFile);
        var key = KeyOf(path);
        var (bytes, sha256) = await HashingCopy.HashFileAsync(sourceFile, cancellationToken).ConfigureAwait(false);
        try
        {
            if (bytes >= _options.MultipartThreshold)
            {
                await UploadMultipartAsync(key, sourceFile, bytes, sha256, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                var stream = new FileStream(sourceFile, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.Asynchronous | FileOptions.SequentialScan);
                await using (stream.ConfigureAwait(false))
                {
                    await PutAsync(key, stream, sha256, cancellationToken).ConfigureAwait(false);
                }
            }
            await VerifySizeAsync(key, bytes, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is AmazonServiceException or AmazonClientException or HttpRequestException)
        {
            throw Failure($"Publishing {path} to {Location} failed", ex);
        }
        return new PublishedFile(path, bytes, sha256);
    }

    /// <inheritdoc />
    public async Task<PublishedFile> PublishAsync(string path, ReadOnlyMemory<byte> content, CancellationToken cancellationToken = default)
    {
        var key = KeyOf(path);
        var sha256 = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(content.Span));
        try
        {
            await PutAsync(key, new MemoryStream(content.ToArray(), writable: false), sha256, cancellationToken).ConfigureAwait(false);
            await VerifySizeAsync(key, content.Length, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is AmazonServiceException or AmazonClientException or HttpRequestException)
        {
            throw Failure($"Publishing {path} to {Location} failed", ex);
        }
        return new PublishedFile(path, content.Length, sha256);
    }

    /// <inheritdoc />
    public async Task<Stream> OpenReadAsync(string path, CancellationToken cancellationToken = default)
    {
        try
        {
            var response = await _client.GetObjectAsync(_options.Bucket, KeyOf(path), cancellationToken).ConfigureAwait(false);
            return response.ResponseStream;
        }
        catch (AmazonS3Exception ex) when (ex.StatusCode == HttpStatusCode.NotFound)
        {
            throw new FileNotFoundException($"{path} is not in the store {Location}", path, ex);
        }
    }

    /// <inheritdoc />
    public async Task<bool> ExistsAsync(string path, CancellationToken cancellationToken = default)
    {
        try
        {
            await _client.GetObjectMetadataAsync(_options.Bucket, KeyOf(path), cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (AmazonS3Exception ex) when (ex.StatusCode == HttpStatusCode.NotFound)
        {
            return false;
        }
    }

    /// <inheritdoc />
    /// <remarks>Keys that are not store paths (see <see cref="ListSkippedAsync"/>) are not listed.</remarks>
    public async IAsyncEnumerable<string> ListAsync(string prefix, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await foreach (var entry in ListEntriesAsync(prefix, wrapErrors: false, cancellationToken).ConfigureAwait(false))
        {
            if (StorePathOf(entry.Key) is { } path) yield return path;
        }
    }

    /// <inheritdoc />
    /// <remarks>Keys that are not store paths (folder markers ending in <c>/</c>, empty, <c>.</c> or <c>..</c> segments, keys outside the prefix) are not listed.</remarks>
    public async IAsyncEnumerable<StoredObject> ListObjectsAsync(string prefix, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await foreach (var entry in ListEntriesAsync(prefix, wrapErrors: true, cancellationToken).ConfigureAwait(false))
        {
            if (StorePathOf(entry.Key) is not { } path) continue;
            // Without a time, the object counts as just written: nothing is old enough to lose it.
            var modified = entry.LastModified is { } time ? new DateTimeOffset(time.ToUniversalTime(), TimeSpan.Zero) : DateTimeOffset.MaxValue;
            yield return new StoredObject(path, entry.Size ?? 0, modified);
        }
    }

    /// <inheritdoc />
    /// <remarks>Keys outside the prefix, and keys with empty, <c>.</c> or <c>..</c> segments (folder markers ending in <c>/</c> aside): never read or deleted.</remarks>
    public async IAsyncEnumerable<SkippedEntry> ListSkippedAsync(string prefix, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await foreach (var entry in ListEntriesAsync(prefix, wrapErrors: true, cancellationToken).ConfigureAwait(false))
        {
            if (StorePathOf(entry.Key) is null && !entry.Key.EndsWith('/'))
            {
                yield return new SkippedEntry(entry.Key, SkippedEntryKind.InvalidKey, $"s3://{_options.Bucket}/{entry.Key} is not a path in the store layout under {Location}");
            }
        }
    }

    /// <summary>The store path of an S3 key, or null when the key is outside the prefix or not a store path.</summary>
    private string? StorePathOf(string key)
    {
        if (key is null || !key.StartsWith(_keyPrefix, StringComparison.Ordinal)) return null;
        var path = key[_keyPrefix.Length..];
        return StoreLayout.IsRelativePath(path) ? path : null;
    }

    /// <inheritdoc />
    /// <remarks>Sends DeleteObjects requests of up to 1,000 keys.</remarks>
    public async Task DeleteAsync(IReadOnlyCollection<string> paths, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(paths);
        foreach (var batch in paths.Select(KeyOf).Chunk(1000))
        {
            DeleteObjectsResponse response;
            try
            {
                response = await _client.DeleteObjectsAsync(new DeleteObjectsRequest
                {
                    BucketName = _options.Bucket,
                    Objects = batch.Select(key => new KeyVersion { Key = key }).ToList(),
                    Quiet = true,
                }, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is AmazonServiceException or AmazonClientException or HttpRequestException)
            {
                throw Failure($"Deleting {batch.Length} objects from {Location} failed", ex);
            }
            if (response.DeleteErrors is { Count: > 0 } errors)
            {
                var first = errors[0];
                throw new InventoryStoreException($"{errors.Count} of {batch.Length} objects could not be deleted from {Location}, e.g. s3://{_options.Bucket}/{first.Key} ({first.Code}: {first.Message}). Check that the credentials may delete objects (s3:DeleteObject).");
            }
        }
    }

    /// <inheritdoc />
    /// <remarks>On an S3-compatible server that does not implement listing multipart uploads, removes nothing.</remarks>
    public async Task<int> RemoveStaleUploadsAsync(TimeSpan olderThan, CancellationToken cancellationToken = default)
    {
        var cutoff = DateTime.UtcNow - olderThan;
        var removed = 0;
        var request = new ListMultipartUploadsRequest { BucketName = _options.Bucket, Prefix = _keyPrefix };
        while (true)
        {
            ListMultipartUploadsResponse response;
            try
            {
                response = await _client.ListMultipartUploadsAsync(request, cancellationToken).ConfigureAwait(false);
            }
            catch (AmazonS3Exception ex) when (ex.StatusCode == HttpStatusCode.NotImplemented)
            {
                // Some S3-compatible servers (s3rver) cannot list uploads; there is nothing to clean up through them.
                return removed;
            }
            foreach (var upload in response.MultipartUploads ?? [])
            {
                if (upload.Initiated is { } initiated && initiated.ToUniversalTime() >= cutoff) continue;
                await _client.AbortMultipartUploadAsync(_options.Bucket, upload.Key, upload.UploadId, cancellationToken).ConfigureAwait(false);
                removed++;
            }
            if (response.IsTruncated != true) return removed;
            request.KeyMarker = response.NextKeyMarker;
            request.UploadIdMarker = response.NextUploadIdMarker;
        }
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
    public void Dispose()
    {
        if (_ownsClient) _client.Dispose();
    }

    /// <inheritdoc />
    public override string ToString() => Location;

    private async IAsyncEnumerable<S3Object> ListEntriesAsync(string prefix, bool wrapErrors, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(prefix);
        var request = new ListObjectsV2Request { BucketName = _options.Bucket, Prefix = _keyPrefix + prefix };
        do
        {
            ListObjectsV2Response response;
            try
            {
                response = await _client.ListObjectsV2Async(request, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (wrapErrors && ex is AmazonServiceException or AmazonClientException or HttpRequestException)
            {
                throw Failure($"Listing s3://{_options.Bucket}/{_keyPrefix}{prefix} failed", ex);
            }
            foreach (var entry in response.S3Objects ?? [])
            {
                yield return entry;
            }
            request.ContinuationToken = response.IsTruncated == true ? response.NextContinuationToken : null;
        }
        while (request.ContinuationToken is not null);
    }

    private async Task PutAsync(string key, Stream content, string? sha256, CancellationToken cancellationToken)
    {
        var request = new PutObjectRequest
        {
            BucketName = _options.Bucket,
            Key = key,
            InputStream = content,
            AutoCloseStream = false,
            UseChunkEncoding = _options.UseChunkEncoding,
        };
        if (sha256 is not null) request.Metadata[Sha256Metadata] = sha256;
        await _client.PutObjectAsync(request, cancellationToken).ConfigureAwait(false);
    }

    private async Task UploadMultipartAsync(string key, string sourceFile, long bytes, string sha256, CancellationToken cancellationToken)
    {
        var initiate = new InitiateMultipartUploadRequest { BucketName = _options.Bucket, Key = key };
        initiate.Metadata[Sha256Metadata] = sha256;
        var upload = await _client.InitiateMultipartUploadAsync(initiate, cancellationToken).ConfigureAwait(false);
        try
        {
            var parts = new List<PartETag>();
            var partNumber = 1;
            for (long position = 0; position < bytes; position += _options.PartSize, partNumber++)
            {
                var size = Math.Min(_options.PartSize, bytes - position);
                var part = await _client.UploadPartAsync(new UploadPartRequest
                {
                    BucketName = _options.Bucket,
                    Key = key,
                    UploadId = upload.UploadId,
                    PartNumber = partNumber,
                    FilePath = sourceFile,
                    FilePosition = position,
                    PartSize = size,
                    IsLastPart = position + size >= bytes,
                    UseChunkEncoding = _options.UseChunkEncoding,
                }, cancellationToken).ConfigureAwait(false);
                parts.Add(new PartETag(partNumber, part.ETag));
            }
            await _client.CompleteMultipartUploadAsync(new CompleteMultipartUploadRequest
            {
                BucketName = _options.Bucket,
                Key = key,
                UploadId = upload.UploadId,
                PartETags = parts,
            }, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            try
            {
                await _client.AbortMultipartUploadAsync(_options.Bucket, key, upload.UploadId, CancellationToken.None).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is AmazonServiceException or AmazonClientException or HttpRequestException)
            {
                // RemoveStaleUploadsAsync removes it later.
            }
            throw;
        }
    }

    private async Task VerifySizeAsync(string key, long expected, CancellationToken cancellationToken)
    {
        var metadata = await _client.GetObjectMetadataAsync(_options.Bucket, key, cancellationToken).ConfigureAwait(false);
        if (metadata.ContentLength != expected)
        {
            throw new InventoryStoreException($"s3://{_options.Bucket}/{key} holds {metadata.ContentLength} bytes after upload, not {expected}; if this is an S3-compatible server, try plain payloads (chunk encoding off)");
        }
    }

    private InventoryStoreException Failure(string what, Exception ex)
    {
        var detail = ex is AmazonServiceException service ? $"{service.ErrorCode ?? service.StatusCode.ToString()}: {service.Message}" : ex.Message;
        return new InventoryStoreException($"{what} ({detail}). Check the bucket name, credentials and endpoint of --store {Location}.", ex);
    }

    private static AmazonS3Client CreateClient(S3InventoryStoreOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var config = new AmazonS3Config { ForcePathStyle = options.ForcePathStyle };
        if (options.ServiceUrl is not null)
        {
            config.ServiceURL = options.ServiceUrl;
            config.AuthenticationRegion = options.Region ?? "us-east-1";
        }
        else if (options.Region is not null)
        {
            config.RegionEndpoint = RegionEndpoint.GetBySystemName(options.Region);
        }
        if (!options.UseChunkEncoding)
        {
            // Trailing checksums need aws-chunked bodies; send checksums only where the API requires them.
            config.RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED;
            config.ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED;
        }
        return options.Credentials is null ? new AmazonS3Client(config) : new AmazonS3Client(options.Credentials, config);
    }
}
