namespace CloudInventory.Storage;

/// <summary>What a <see cref="StoreIntegrityCheck"/> found, repaired, and what <c>store gc</c> would do.</summary>
/// <param name="Location">The store.</param>
/// <param name="Findings">Every finding, by path (problems and notes).</param>
/// <param name="ManifestsInUse">The manifests that are used.</param>
/// <param name="FilesVerified">The listed files checked (size and SHA-256).</param>
/// <param name="BytesHashed">The bytes read to hash them.</param>
/// <param name="GarbageCollection">What <c>store gc</c> with the same grace period would do (a dry run).</param>
/// <param name="Quarantined">With repair: the manifests moved to <see cref="StoreLayout.QuarantinePrefix"/> (from, to).</param>
public sealed record StoreCheckReport(
    string Location,
    IReadOnlyList<StoreProblem> Findings,
    int ManifestsInUse,
    int FilesVerified,
    long BytesHashed,
    StoreGarbageCollectionResult GarbageCollection,
    IReadOnlyList<(string From, string To)> Quarantined)
{
    /// <summary>The findings that make the store unclean.</summary>
    public IReadOnlyList<StoreProblem> Problems => Findings.Where(f => f.IsProblem).ToArray();

    /// <summary>True when nothing is wrong (foreign files are only noted).</summary>
    public bool IsClean => Problems.Count == 0;
}
