namespace CloudInventory.Storage;

/// <summary>A published object in a store, as a listing sees it.</summary>
/// <param name="Path">The path relative to the store root, with forward slashes.</param>
/// <param name="Bytes">The size in bytes.</param>
/// <param name="LastModified">When the object was last written (a local file's last write time, an S3 object's LastModified), UTC.</param>
public sealed record StoredObject(string Path, long Bytes, DateTimeOffset LastModified);
