namespace CloudInventory.Storage;

/// <summary>Why a store listing skipped an entry.</summary>
public enum SkippedEntryKind
{
    /// <summary>A symbolic link (to a file or a folder): never followed, read, listed or deleted.</summary>
    SymbolicLink,
    /// <summary>A folder that cannot be read (permission denied): what is in it is unknown.</summary>
    UnreadableFolder,
    /// <summary>An S3 key that is not a store path (<c>.</c> or <c>..</c> or empty segments, or outside the prefix): never read or deleted.</summary>
    InvalidKey,
}
