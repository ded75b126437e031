using Amazon.Runtime;

namespace CloudInventory.Storage;

/// <summary>Where an <see cref="S3InventoryStore"/> writes and how it talks to S3.</summary>
public sealed record S3InventoryStoreOptions
{
    /// <summary>The bucket.</summary>
    public required string Bucket { get; init; }

    /// <summary>The key prefix of the store root, without leading or trailing slash; empty for the bucket root.</summary>
    public string Prefix { get; init; } = "";

    /// <summary>The region of the bucket; null for the SDK's default chain (environment, profile).</summary>
    public string? Region { get; init; }

    /// <summary>A custom endpoint (an S3-compatible server), e.g. <c>http://127.0.0.1:4568</c>; null for AWS.</summary>
    public string? ServiceUrl { get; init; }

    /// <summary>Address buckets in the path (<c>host/bucket/key</c>) rather than the host name; needed by most custom endpoints.</summary>
    public bool ForcePathStyle { get; init; }

    /// <summary>
    /// Send bodies in <c>aws-chunked</c> (streaming SigV4) encoding with trailing checksums, the SDK's
    /// default. Set false for S3-compatible servers that store such bodies verbatim (s3rver): puts and
    /// parts are then sent as plain payloads and checksums only where the API requires them.
    /// </summary>
    public bool UseChunkEncoding { get; init; } = true;

    /// <summary>Files at least this large are sent by multipart upload; smaller ones by one put. Default 16 MiB.</summary>
    public long MultipartThreshold { get; init; } = 16L * 1024 * 1024;

    /// <summary>The size of each multipart part but the last (at least 5 MiB, S3's minimum). Default 8 MiB.</summary>
    public long PartSize { get; init; } = 8L * 1024 * 1024;

    /// <summary>Credentials; null for the SDK's default chain.</summary>
    public AWSCredentials? Credentials { get; init; }

    /// <summary>Options for an <c>s3://bucket/prefix</c> location.</summary>
    /// <exception cref="ArgumentException">It is not such a location.</exception>
    public static S3InventoryStoreOptions FromLocation(string location)
    {
        ArgumentException.ThrowIfNullOrEmpty(location);
        if (!location.StartsWith("s3://", StringComparison.OrdinalIgnoreCase))
        {
            throw new ArgumentException($"'{location}' is not an S3 location (s3://bucket/prefix)", nameof(location));
        }
        var rest = location[5..].Trim('/');
        var slash = rest.IndexOf('/', StringComparison.Ordinal);
        var bucket = slash < 0 ? rest : rest[..slash];
        if (bucket.Length == 0) throw new ArgumentException($"'{location}' names no bucket (s3://bucket/prefix)", nameof(location));
        return new S3InventoryStoreOptions { Bucket = bucket, Prefix = slash < 0 ? "" : rest[(slash + 1)..] };
    }
}
