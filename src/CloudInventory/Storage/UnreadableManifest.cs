namespace CloudInventory.Storage;

/// <summary>
/// A run manifest in a store that is not used (it cannot be read or breaks the layout's rules). Nothing it lists is read
/// by queries; nothing unlisted in its partition is garbage-collected.
/// </summary>
/// <param name="Path">The manifest's path relative to the store root.</param>
/// <param name="ReportDate">The report date of its partition: nothing in that partition is garbage-collected.</param>
/// <param name="Reason">Why it is not used, in a sentence.</param>
public sealed record UnreadableManifest(string Path, DateOnly ReportDate, string Reason)
{
    /// <summary>What is wrong with it.</summary>
    public ManifestProblem Problem { get; init; } = ManifestProblem.Unreadable;
}
