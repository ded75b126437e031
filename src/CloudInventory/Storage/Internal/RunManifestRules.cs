using System.Globalization;

namespace CloudInventory.Storage.Internal;

/// <summary>
/// The rules a run manifest must keep to be used: it sits where its run id, shard and report date put it, and every
/// file it lists is a normalised store path of that run's own stem, day and table in the run-file layout, listed once.
/// </summary>
internal static class RunManifestRules
{
    /// <summary>The first broken rule of the manifest read from <paramref name="path"/>, or null when it keeps them all.</summary>
    public static (ManifestProblem Problem, string Reason)? Check(RunManifest manifest, string path)
    {
        if (!StoreLayout.IsRunId(manifest.RunId)) return (ManifestProblem.InvalidPaths, $"its run id '{manifest.RunId}' is not a run id");
        if (StoreLayout.ShardCount(manifest.Shard) is null) return (ManifestProblem.InvalidPaths, $"its shard '{manifest.Shard}' is not k/n with 1 <= k <= n");
        var expected = manifest.Path;
        if (!string.Equals(expected, path, StringComparison.Ordinal))
        {
            return (ManifestProblem.Misplaced, $"it says run {manifest.RunId}{(manifest.Shard is null ? "" : " shard " + manifest.Shard)} of {Day(manifest.ReportDate)}, whose manifest is {expected}");
        }
        var stem = StoreLayout.FileStem(manifest.RunId, manifest.Shard);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var file in manifest.Files)
        {
            if (!StoreLayout.IsRelativePath(file.Path))
            {
                return (ManifestProblem.InvalidPaths, $"it lists '{file.Path}', which is not a normalised path relative to the store root");
            }
            if (StoreLayout.TableOf(file.Path) is not { } table)
            {
                return (ManifestProblem.InvalidPaths, $"it lists {file.Path}, which is not a run file of the store layout");
            }
            if (StoreLayout.ReportDateOf(file.Path) != manifest.ReportDate || StoreLayout.StemOf(file.Path) != stem)
            {
                return (ManifestProblem.InvalidPaths, $"it lists {file.Path}, which is not a file of run {stem} of {Day(manifest.ReportDate)}");
            }
            if (table != file.Table) return (ManifestProblem.InvalidPaths, $"it lists {file.Path} as table {file.Table}, but that path holds {table}");
            if (file.Bytes < 0 || file.Rows < 0) return (ManifestProblem.InvalidPaths, $"it lists {file.Path} with a negative size or row count");
            if (file.Sha256.Length != 0 && (file.Sha256.Length != 64 || !file.Sha256.All(Uri.IsHexDigit)))
            {
                return (ManifestProblem.InvalidPaths, $"it lists {file.Path} with SHA-256 '{file.Sha256}', which is not 64 hex digits");
            }
            if (!seen.Add(file.Path)) return (ManifestProblem.InvalidPaths, $"it lists {file.Path} twice");
        }
        return null;
    }

    private static string Day(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
