using System.Globalization;
using System.Text.RegularExpressions;
using Table = CloudInventory.Catalog.Table;

namespace CloudInventory.Storage;

/// <summary>
/// Where things live in a store, relative to its root (forward slashes):
/// table data <c>&lt;cloud&gt;/&lt;service&gt;/&lt;resource&gt;/report_date=YYYY-MM-DD/&lt;stem&gt;.parquet</c> (<c>aws/ec2/instances/…</c>,
/// <c>azure/compute/virtual_machines/…</c>; Azure's provider-neutral tables one level up: <c>azure/resources/…</c>),
/// run errors <c>cloudinv/errors/report_date=YYYY-MM-DD/&lt;stem&gt;.parquet</c>,
/// manifests <c>_runs/report_date=YYYY-MM-DD/&lt;stem&gt;.json</c>, where the stem is the run id,
/// followed for a shard <c>k/n</c> by <c>-kofn</c> (a slash cannot be in a file name).
/// </summary>
public static partial class StoreLayout
{
    /// <summary>The folder of run manifests (the one place its name is written).</summary>
    public const string RunsFolder = "_runs";

    /// <summary>The folder of run manifests, with its trailing slash.</summary>
    public const string ManifestsPrefix = RunsFolder + "/";

    /// <summary>
    /// The folder <c>cloudinv store check --repair</c> moves bad manifests to (keeping their path below it), with its
    /// trailing slash. Queries never read it; <c>store gc</c> keeps the files its manifests name.
    /// </summary>
    public const string QuarantinePrefix = "_quarantine/";

    /// <summary>The prefixes under which runs publish data and errors files.</summary>
    public static IReadOnlyList<string> RunFilePrefixes { get; } = ["aws/", "azure/", "cloudinv/errors/"];

    /// <summary>The table name of the errors files.</summary>
    public const string ErrorsTable = "cloudinv_errors";

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

    /// <summary>
    /// The folder of a table's partitions: <c>&lt;cloud&gt;/&lt;service&gt;/&lt;resource&gt;</c> (<c>aws/ec2/instances</c>,
    /// <c>azure/compute/virtual_machines</c>), or <c>&lt;cloud&gt;/&lt;resource&gt;</c> for a table without a service (<c>azure/resources</c>).
    /// </summary>
    public static string TableFolder(Table table)
    {
        ArgumentNullException.ThrowIfNull(table);
        var cloud = Table.CloudName(table.Cloud);
        return table.Service.Length == 0 ? $"{cloud}/{table.Resource}" : $"{cloud}/{table.Service}/{table.Resource}";
    }

    /// <summary>The data file of a table in a run: <c>&lt;table folder&gt;/report_date=…/&lt;stem&gt;.parquet</c> (see <see cref="TableFolder"/>).</summary>
    public static string TableFilePath(Table table, DateOnly reportDate, string runId, string? shard = null) =>
        $"{TableFolder(table)}/{Partition(reportDate)}/{FileStem(runId, shard)}.parquet";

    /// <summary>The errors file of a run's manifest.</summary>
    public static string ErrorsFilePath(RunManifest manifest)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        return ErrorsFilePath(manifest.ReportDate, manifest.RunId, manifest.Shard);
    }

    /// <summary>
    /// The errors file a manifest owns without listing it, or null. Manifests written before errors files were listed
    /// recorded errors but named no errors file; queries read such a run's errors file by its layout, and gc keeps it. A
    /// manifest that lists its errors file, or recorded no errors, owns no other.
    /// </summary>
    public static string? UnlistedErrorsFilePath(RunManifest manifest)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        return manifest.Errors > 0 && !manifest.Files.Any(f => f.Table == ErrorsTable) ? ErrorsFilePath(manifest) : null;
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
    /// <c>&lt;table folder&gt;/report_date=YYYY-MM-DD/&lt;stem&gt;.parquet</c> (see <see cref="TableFolder"/>) or a run's errors file
    /// <c>cloudinv/errors/report_date=YYYY-MM-DD/&lt;stem&gt;.parquet</c>, the stem a run id and optional shard.
    /// Manifests and anything else in a store (a README, a temporary file) are not.
    /// </summary>
    public static bool IsRunFile(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        return RunFilePattern().IsMatch(path) && ReportDateOf(path) is not null;
    }

    /// <summary>
    /// The report date and file stem of a path of the manifest form <c>_runs/report_date=YYYY-MM-DD/&lt;stem&gt;.json</c>
    /// (the stem a run id and optional shard), or null.
    /// </summary>
    public static (DateOnly ReportDate, string Stem)? ParseManifestPath(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var match = ManifestPathPattern().Match(path);
        return match.Success && ReportDateOf(path) is { } date ? (date, match.Groups[1].Value) : null;
    }

    /// <summary>The file name stem of a store path (the name without its extension).</summary>
    public static string StemOf(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var name = path[(path.LastIndexOf('/') + 1)..];
        var dot = name.LastIndexOf('.');
        return dot < 0 ? name : name[..dot];
    }

    /// <summary>
    /// The table a run file belongs to by its folder (the inverse of <see cref="TableFolder"/>): <c>aws/&lt;service&gt;/&lt;resource&gt;/…</c> is
    /// <c>aws_&lt;service&gt;_&lt;resource&gt;</c>, <c>azure/&lt;resource&gt;/…</c> is <c>azure_&lt;resource&gt;</c>, <c>cloudinv/errors/…</c> is
    /// <see cref="ErrorsTable"/>; null for other paths.
    /// </summary>
    public static string? TableOf(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!IsRunFile(path)) return null;
        var parts = path.Split('/');
        return parts[0] == "cloudinv" ? ErrorsTable : string.Join('_', parts[..^2]);
    }

    /// <summary>The number of shards of a run with <paramref name="shard"/> (<c>k/n</c> gives n; an unsharded run is 1), or null when it is not a shard.</summary>
    public static int? ShardCount(string? shard)
    {
        if (shard is null) return 1;
        var match = ShardPattern().Match(shard);
        return match.Success && int.TryParse(match.Groups[2].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var n)
            && int.TryParse(match.Groups[1].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var k) && k <= n ? n : null;
    }

    /// <summary>Whether <paramref name="runId"/> has the form of a run id, <c>YYYYMMDDTHHMMSSZ-xxxxxx</c>.</summary>
    public static bool IsRunId(string runId) => runId is not null && RunIdPattern().IsMatch(runId);

    /// <summary>Whether a path is relative to a store root: forward slashes, no empty, <c>.</c> or <c>..</c> segments (see <see cref="ValidateRelativePath"/>).</summary>
    public static bool IsRelativePath(string path) =>
        !string.IsNullOrEmpty(path) && !path.Contains('\\', StringComparison.Ordinal) && !path.Contains('\0', StringComparison.Ordinal)
        && !path.StartsWith('/') && !path.EndsWith('/') && !path.Split('/').Any(s => s.Length == 0 || s == "." || s == "..");

    /// <summary>Checks that a path is relative to a store root: forward slashes, no empty, <c>.</c> or <c>..</c> segments.</summary>
    /// <exception cref="ArgumentException">It is not.</exception>
    public static void ValidateRelativePath(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!IsRelativePath(path))
        {
            throw new ArgumentException($"'{path}' is not a path relative to the store root", nameof(path));
        }
    }

    private const string RunIdRegex = @"\d{8}T\d{6}Z-[0-9a-f]{6}";

    [GeneratedRegex("^" + RunIdRegex + "$")]
    private static partial Regex RunIdPattern();

    [GeneratedRegex(@"^(?:aws/[a-z0-9][a-z0-9_-]*/[a-z0-9][a-z0-9_-]*|azure(?:/[a-z0-9][a-z0-9_-]*){1,2}|cloudinv/errors)/report_date=\d{4}-\d{2}-\d{2}/" + RunIdRegex + @"(?:-[1-9]\d*of[1-9]\d*)?\.parquet\z")]
    private static partial Regex RunFilePattern();

    [GeneratedRegex(@"^([1-9]\d*)/([1-9]\d*)$")]
    private static partial Regex ShardPattern();

    [GeneratedRegex("^" + RunsFolder + @"/report_date=\d{4}-\d{2}-\d{2}/(" + RunIdRegex + @"(?:-[1-9]\d*of[1-9]\d*)?)\.json\z")]
    private static partial Regex ManifestPathPattern();

    [GeneratedRegex(@"(?:^|/)report_date=(\d{4}-\d{2}-\d{2})(?:/|$)")]
    private static partial Regex PartitionPattern();
}
