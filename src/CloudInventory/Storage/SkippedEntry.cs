namespace CloudInventory.Storage;

/// <summary>Something in a store that a listing saw but did not list, and why (see <see cref="IInventoryStore.ListSkippedAsync"/>).</summary>
/// <param name="Path">Its path relative to the store root (for an S3 key outside the layout, the key as found).</param>
/// <param name="Kind">Why it was skipped.</param>
/// <param name="Detail">What was found: a link's target, the error of an unreadable folder, the offending key.</param>
public sealed record SkippedEntry(string Path, SkippedEntryKind Kind, string Detail);
