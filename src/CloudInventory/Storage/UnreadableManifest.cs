namespace CloudInventory.Storage;

/// <summary>A run manifest listed in a store that could not be read (corrupt, or gone while being read).</summary>
/// <param name="Path">The manifest's path relative to the store root.</param>
/// <param name="ReportDate">The report date of its partition: nothing in that partition is garbage-collected.</param>
/// <param name="Reason">Why it could not be read.</param>
public sealed record UnreadableManifest(string Path, DateOnly ReportDate, string Reason);
