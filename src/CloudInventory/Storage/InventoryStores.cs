using Amazon.Runtime;

namespace CloudInventory.Storage;

/// <summary>
/// Opens the store a <c>--store</c> location names: a local directory or <c>s3://bucket/prefix</c>. The one place a
/// location string becomes a store, for collect, query, diff, trend, <c>store gc</c>, <c>store check</c> and <c>cache prune</c>.
/// </summary>
public static class InventoryStores
{
    /// <summary>Whether <paramref name="location"/> names an S3 store (<c>s3://…</c>).</summary>
    public static bool IsS3(string location) => location is not null && location.StartsWith("s3://", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// An <see cref="S3InventoryStore"/> for <c>s3://bucket/prefix</c> (bucket and prefix taken from the
    /// location, the rest from <paramref name="s3Options"/>, else from <see cref="S3Options"/>), otherwise a
    /// <see cref="LocalInventoryStore"/> for the directory (created when first written).
    /// </summary>
    /// <exception cref="InventoryStoreException">The location is not a valid <c>s3://bucket/prefix</c>, or no S3 client can be made.</exception>
    public static IInventoryStore Open(string location, S3InventoryStoreOptions? s3Options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(location);
        if (!IsS3(location)) return new LocalInventoryStore(location);
        var target = S3Options(location);
        var options = s3Options is null ? target : s3Options with { Bucket = target.Bucket, Prefix = target.Prefix };
        try
        {
            return new S3InventoryStore(options);
        }
        catch (Exception e) when (e is AmazonClientException or ArgumentException)
        {
            throw new InventoryStoreException($"no S3 client for {location} ({FirstLine(e.Message)}). Check the region, credentials and endpoint.", e);
        }
    }

    /// <summary>Opens a store that must already exist (a local directory must be there): for commands that maintain or read a store.</summary>
    /// <exception cref="InventoryStoreException">The directory does not exist, or the S3 location or client is not valid.</exception>
    public static IInventoryStore OpenExisting(string location, string? endpointUrl = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(location);
        if (IsS3(location)) return Open(location, S3Options(location, endpointUrl));
        var full = Path.GetFullPath(location);
        if (File.Exists(full)) throw new InventoryStoreException($"the store {full} is a file, not a directory; give the directory collect wrote to with --store.");
        if (!Directory.Exists(full)) throw new InventoryStoreException($"the store directory {full} does not exist; give the directory collect wrote to with --store.");
        return new LocalInventoryStore(full);
    }

    /// <summary>
    /// S3 options for a location, the rest from the environment as the AWS SDKs and CLI read it:
    /// the endpoint from <paramref name="endpointUrl"/>, else <c>AWS_ENDPOINT_URL_S3</c>, else <c>AWS_ENDPOINT_URL</c>
    /// (a custom endpoint is addressed path-style); the region and credentials from the SDK's default chains
    /// (<c>AWS_REGION</c>, <c>AWS_PROFILE</c>, <c>AWS_ACCESS_KEY_ID</c>/<c>AWS_SECRET_ACCESS_KEY</c>, SSO, instance roles…).
    /// </summary>
    /// <exception cref="InventoryStoreException">The location is not <c>s3://bucket/prefix</c>.</exception>
    public static S3InventoryStoreOptions S3Options(string location, string? endpointUrl = null)
    {
        S3InventoryStoreOptions options;
        try
        {
            options = S3InventoryStoreOptions.FromLocation(location);
        }
        catch (ArgumentException e)
        {
            throw new InventoryStoreException(e.ParamName is null ? e.Message : e.Message.Replace($" (Parameter '{e.ParamName}')", "", StringComparison.Ordinal) + ".", e);
        }
        var endpoint = !string.IsNullOrEmpty(endpointUrl) ? endpointUrl
            : Environment.GetEnvironmentVariable("AWS_ENDPOINT_URL_S3") is { Length: > 0 } s3Endpoint ? s3Endpoint
            : Environment.GetEnvironmentVariable("AWS_ENDPOINT_URL") is { Length: > 0 } endpointVariable ? endpointVariable
            : null;
        var region = Environment.GetEnvironmentVariable("AWS_REGION") is { Length: > 0 } r ? r
            : Environment.GetEnvironmentVariable("AWS_DEFAULT_REGION") is { Length: > 0 } d ? d : null;
        return endpoint is null
            ? options with { Region = region }
            : options with { ServiceUrl = endpoint, Region = region, ForcePathStyle = true, UseChunkEncoding = false };
    }

    private static string FirstLine(string text) => text.Split('\n', 2)[0].Trim().TrimEnd('.');
}
