namespace CloudInventory.Query.Internal;

/// <summary>One run manifest file (one run, or one shard of a run), as read from <c>_runs/</c>.</summary>
internal sealed record ManifestRecord(
    string Path,
    string RunId,
    string? Shard,
    DateOnly ReportDate,
    DateTimeOffset ReportTime,
    DateTimeOffset? StartedAt,
    DateTimeOffset? FinishedAt,
    string Status,
    string? ToolVersion,
    IReadOnlyList<ManifestFile> Files,
    IReadOnlyList<ManifestTable> Tables,
    long Errors,
    long ApiCalls,
    long Throttles,
    long DurationMs)
{
    /// <summary>The file name without <c>.json</c>: <c>&lt;run-id&gt;[-&lt;shard&gt;]</c>, shared with the run's errors file.</summary>
    public string Stem => System.IO.Path.GetFileNameWithoutExtension(Path);
}

internal sealed record ManifestFile(string Table, string Path, long Rows);

internal sealed record ManifestTable(string Table, string? AccountId, string? Region, long Rows, string Status);
