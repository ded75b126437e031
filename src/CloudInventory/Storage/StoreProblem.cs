namespace CloudInventory.Storage;

/// <summary>One finding of a <see cref="StoreIntegrityCheck"/>.</summary>
/// <param name="Kind">What it is.</param>
/// <param name="Path">The store path it concerns.</param>
/// <param name="Detail">What is wrong, in a sentence.</param>
public sealed record StoreProblem(StoreProblemKind Kind, string Path, string Detail)
{
    /// <summary>Whether it makes the store unclean (every kind but <see cref="StoreProblemKind.ForeignFile"/>, which is only noted).</summary>
    public bool IsProblem => Kind != StoreProblemKind.ForeignFile;
}
