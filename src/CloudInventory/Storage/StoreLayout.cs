using System.Globalization;
using System.Text.RegularExpressions;
using Table = CloudInventory.Catalog.Table;

namespace CloudInventory.Storage;

/// <summary>
/// Where things live in a store, relative to its root (forward slashes):
/// table data <c>aws/&lt;service&gt;/&lt;resource&gt;/report_date=YYYY-MM-DD/&lt;stem&gt;.parquet</c>,
/// run errors <c>cloudinv/errors/report_date=YYYY-MM-DD/&lt;stem&gt;.parquet</c>,
/// manifests <c>_runs/report_date=YYYY-MM-DD/&lt;stem&gt;.json</c>, where the stem is the run id,
/// followed for a shard <c>k/n</c> by <c>-kofn</c> (a slash cannot be in a file name).
/// </summary>
public static partial class StoreLayout
{
    /// <summary>The folder of run manifests, with its trailing slash.</summary>
    public const string ManifestsPrefix = "_runs/";

    /// <summary>The name of the Hive partition column.</summary>
    public const string PartitionColumn = "report_date";

    /// <summary>The file name stem of a run (and shard): <c>&lt;run-id&gt;</c> or <c>&lt;run-id&gt;-&lt;k&gt;of&lt;n&gt;</c>.</summary>
    public static string FileStem(string runId, string? shard)
    {
        ArgumentException.ThrowIfNullOrEmpty(runId);
        if (!RunIdPattern().IsMatch(runId)) throw new ArgumentException($"'{runId}' is not a run id (YYYYMMDDTHHMMSSZ-xxxxxx)", nameof(runId));
        if (shard is null) return runId;
        var match = ShardPattern().Match(shard);
        if (!match.Success) throw new ArgumentException($"'{shard}' is not a shard (k/n)", nameof(shard));
        return $"{runId}-{match.Groups[1].Value}of{match.Groups[2].Value}";
    }

    /// <summary>The partition folder name of a day, <c>report_date=YYYY-MM-DD</c>.</summary>
    public static string Partition(DateOnly reportDate) => PartitionColumn + "=" + reportDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>The data file of a table in a run: <c>aws/&lt;service&gt;/&lt;resource&gt;/report_date=…/&lt;stem&gt;.parquet</c>.</summary>
    public static string TableFilePath(Table table, DateOnly reportDate, string runId, string? shard = null)
    {
        ArgumentNullException.ThrowIfNull(table);
        return $"aws/{table.Service}/{table.Resource}/{Partition(reportDate)}/{FileStem(runId, shard)}.parquet";
    }

    /// <summary>The errors file of a run: <c>cloudinv/errors/report_date=…/&lt;stem&gt;.parquet</c>.</summary>
    public static string ErrorsFilePath(DateOnly reportDate, string runId, string? shard = null) =>
        $"cloudinv/errors/{Partition(reportDate)}/{FileStem(runId, shard)}.parquet";

    /// <summary>The manifest of a run: <c>_runs/report_date=…/&lt;stem&gt;.json</c>.</summary>
    public static string ManifestPath(DateOnly reportDate, string runId, string? shard = null) =>
        $"{ManifestsPrefix}{Partition(reportDate)}/{FileStem(runId, shard)}.json";

    /// <summary>The report date of a path with a <c>report_date=YYYY-MM-DD</c> segment, or null.</summary>
    public static DateOnly? ReportDateOf(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var match = PartitionPattern().Match(path);
        return match.Success && DateOnly.TryParseExact(match.Groups[1].Value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)
            ? date
            : null;
    }

    /// <summary>
    /// Whether <paramref name="path"/> has the form of a file a run publishes: a table's data file
    /// <c>aws/&lt;service&gt;/&lt;resource&gt;/report_date=YYYY-MM-DD/&lt;stem&gt;.parquet</c> or a run's errors file
    /// <c>cloudinv/errors/report_date=YYYY-MM-DD/&lt;stem&gt;.parquet</c>, the stem a run id and optional shard.
    /// Manifests and anything else in a store (a README, a temporary file) are not.
    /// </summary>
    public static bool IsRunFile(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        return RunFilePattern().IsMatch(path) && ReportDateOf(path) is not null;
    }

    /// <summary>Checks that a path is relative to a store root: forward slashes, no empty, <c>.</c> or <c>..</c> segments.</summary>
    /// <exception cref="ArgumentException">It is not.</exception>
    public static void ValidateRelativePath(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (path.Contains('\\', StringComparison.Ordinal) || path.StartsWith('/') || path.EndsWith('/')
            || path.Split('/').Any(s => s.Length == 0 || s == "." || s == ".."))
        {
            throw new ArgumentException($"'{path}' is not a path relative to the store root", nameof(path));
        }
    }

    private const string RunIdRegex = @"\d{8}T\d{6}Z-[0-9a-f]{6}";

    [GeneratedRegex("^" + RunIdRegex + "$")]
    private static partial Regex RunIdPattern();

    [GeneratedRegex(@"^(?:aws/[a-z0-9][a-z0-9_-]*/[a-z0-9][a-z0-9_-]*|cloudinv/errors)/report_date=\d{4}-\d{2}-\d{2}/" + RunIdRegex + @"(?:-[1-9]\d*of[1-9]\d*)?\.parquet\z")]
    private static partial Regex RunFilePattern();

    [GeneratedRegex(@"^([1-9]\d*)/([1-9]\d*)$")]
    private static partial Regex ShardPattern();

    [GeneratedRegex(@"(?:^|/)report_date=(\d{4}-\d{2}-\d{2})(?:/|$)")]
    private static partial Regex PartitionPattern();
}
