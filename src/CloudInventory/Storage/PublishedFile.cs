namespace CloudInventory.Storage;

/// <summary>A file made visible in a store.</summary>
/// <param name="Path">The path relative to the store root, with forward slashes.</param>
/// <param name="Bytes">The size in bytes.</param>
/// <param name="Sha256">The SHA-256 of the content, lowercase hex.</param>
public sealed record PublishedFile(string Path, long Bytes, string Sha256);
