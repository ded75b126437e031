namespace CloudInventory.Storage;

/// <summary>Opens the store a <c>--store</c> location names.</summary>
public static class InventoryStores
{
    /// <summary>
    /// An <see cref="S3InventoryStore"/> for <c>s3://bucket/prefix</c> (bucket and prefix taken from the
    /// location, the rest from <paramref name="s3Options"/>), otherwise a <see cref="LocalInventoryStore"/>
    /// for the directory.
    /// </summary>
    public static IInventoryStore Open(string location, S3InventoryStoreOptions? s3Options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(location);
        if (!location.StartsWith("s3://", StringComparison.OrdinalIgnoreCase)) return new LocalInventoryStore(location);
        var target = S3InventoryStoreOptions.FromLocation(location);
        var options = s3Options is null ? target : s3Options with { Bucket = target.Bucket, Prefix = target.Prefix };
        return new S3InventoryStore(options);
    }
}
