namespace CloudInventory.Storage.Internal;

/// <summary>
/// Checks a file a manifest lists against the manifest, in a local store (or cache) root: it is there, not reached
/// through a symbolic link, has the listed size and the listed SHA-256 (from a <see cref="FileHashCache"/>, so a file
/// is hashed once until it changes).
/// </summary>
internal sealed class ListedFileVerifier(string root, FileHashCache hashes)
{
    /// <summary>The hashes this verifier uses.</summary>
    public FileHashCache Hashes => hashes;

    /// <summary>What is wrong with the listed file (a phrase to follow its path), or null when it matches its manifest.</summary>
    /// <param name="file">The manifest's entry.</param>
    /// <param name="rehash">Hash the file even when the cache knows it (a full check).</param>
    public string? Problem(RunManifestFile file, bool rehash = false)
    {
        string full;
        try
        {
            full = ContainedPath.Resolve(root, file.Path);
        }
        catch (InventoryStoreException)
        {
            return "is reached through a symbolic link, which is never followed";
        }
        catch (ArgumentException)
        {
            return "is not a path in the store";
        }
        if (Directory.Exists(full)) return "is a folder, not a file";
        if (FileIdentity.Of(full) is not { } identity) return Unreachable(full) ?? "is missing";
        if (identity.Size != file.Bytes) return $"has {identity.Size} bytes, but its manifest says {file.Bytes}";
        if (file.Sha256.Length == 0) return null;
        string sha;
        try
        {
            sha = hashes.Sha256(full, rehash);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return $"cannot be read ({e.Message})";
        }
        return string.Equals(sha, file.Sha256, StringComparison.OrdinalIgnoreCase)
            ? null
            : "does not have the SHA-256 its manifest records: it changed after it was published";
    }

    // Why a file that cannot be examined is not missing: the user may not reach it (a folder on the way it may not enter).
    private static string? Unreachable(string full)
    {
        try
        {
            using var handle = File.OpenHandle(full);
            return null;
        }
        catch (UnauthorizedAccessException e)
        {
            return $"cannot be read ({e.Message})";
        }
        catch (IOException)
        {
            return null;
        }
    }
}
