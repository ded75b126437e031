using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json.Serialization;
using CloudInventory.Storage.Internal;

namespace CloudInventory.Storage;

/// <summary>
/// The record of one collection run (or one shard of it), written last, after every data file is
/// published, to <c>_runs/report_date=YYYY-MM-DD/&lt;run-id&gt;[-&lt;shard&gt;].json</c>. Queries read only
/// the files manifests list. Serialised as snake_case JSON (see <see cref="ToJson"/>).
/// </summary>
/// <param name="RunId">The run id, <c>YYYYMMDDTHHMMSSZ-xxxxxx</c> (see <see cref="NewRunId"/>).</param>
/// <param name="Shard">The shard, <c>k/n</c>, or null for an unsharded run.</param>
/// <param name="ReportDate">The UTC day of the run: the Hive partition of its files.</param>
/// <param name="ReportTime">The time written in every row's <c>report_time</c>.</param>
/// <param name="StartedAt">When the run started.</param>
/// <param name="FinishedAt">When the run finished.</param>
/// <param name="Status">How the run ended.</param>
/// <param name="ToolVersion">The version of the tool that ran.</param>
/// <param name="Files">The data files published.</param>
/// <param name="Tables">What was seen of each table per account and region.</param>
/// <param name="Errors">The number of errors recorded.</param>
/// <param name="ApiCalls">The API calls made.</param>
/// <param name="Throttles">The calls throttled.</param>
/// <param name="DurationMs">The run's wall time in milliseconds.</param>
public sealed record RunManifest(
    string RunId,
    string? Shard,
    DateOnly ReportDate,
    DateTimeOffset ReportTime,
    DateTimeOffset StartedAt,
    DateTimeOffset FinishedAt,
    RunStatus Status,
    string ToolVersion,
    IReadOnlyList<RunManifestFile> Files,
    IReadOnlyList<RunManifestTable> Tables,
    int Errors,
    long ApiCalls,
    long Throttles,
    long DurationMs)
{
    /// <summary>The store format the run was written in (<c>format_version</c>, first in the JSON; 1 when absent, see <see cref="StoreFormat"/>).</summary>
    [JsonPropertyOrder(-1)]
    public int FormatVersion { get; init; } = StoreFormat.Current;

    /// <summary>The manifest's path relative to the store root (not serialised).</summary>
    [JsonIgnore]
    public string Path => StoreLayout.ManifestPath(ReportDate, RunId, Shard);

    /// <summary>The manifest as indented snake_case JSON, timestamps in UTC ISO-8601 with milliseconds.</summary>
    public string ToJson() => RunManifestJson.Serialize(this);

    /// <summary>Reads a manifest from its JSON.</summary>
    /// <exception cref="InventoryStoreException">The JSON is not a valid manifest, or it is in a newer store format than this cloudinv reads.</exception>
    public static RunManifest FromJson(string json) => RunManifestJson.Deserialize(json);

    /// <summary>A new run id for a run started at <paramref name="startedAt"/>: UTC time then 6 random hex characters, sortable by time.</summary>
    public static string NewRunId(DateTimeOffset startedAt) =>
        startedAt.UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture) + "-" +
        Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(3));

    /// <summary>
    /// The run id every shard of one job derives alike, without talking to the others: <paramref name="scheduledAt"/> then
    /// 6 hex characters of the SHA-256 of <paramref name="job"/> (e.g. a Kubernetes Job's name).
    /// </summary>
    public static string SharedRunId(DateTimeOffset scheduledAt, string job)
    {
        ArgumentNullException.ThrowIfNull(job);
        return scheduledAt.UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture) + "-" +
            Convert.ToHexStringLower(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(job)).AsSpan(0, 3));
    }
}
