using CloudInventory.Storage;

namespace CloudInventory.Collection;

/// <summary>What a run did: its manifest (files, tables, counts) and its errors.</summary>
/// <param name="Manifest">The run manifest as published.</param>
/// <param name="Errors">The failed calls.</param>
/// <param name="Accounts">The accounts collected.</param>
/// <param name="Store">Where the run was written.</param>
public sealed record CollectionResult(RunManifest Manifest, IReadOnlyList<CollectionError> Errors, IReadOnlyList<string> Accounts, string Store)
{
    /// <summary>The process exit code: 0 complete, 3 partial (some calls failed), 1 failed.</summary>
    public int ExitCode => Manifest.Status switch
    {
        RunStatus.Complete => 0,
        RunStatus.Partial => 3,
        _ => 1,
    };
}
