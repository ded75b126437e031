using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Mvc;

namespace CloudInventory.Server.Internal;

// The API's request and response shapes (snake_case on the wire); the OpenAPI document is generated from them.

/// <summary>Every error response.</summary>
internal sealed record ErrorBody(string Error);

/// <summary>The global filters most endpoints take.</summary>
internal sealed class ScopeQuery
{
    /// <summary>Only this account (or subscription).</summary>
    [FromQuery(Name = "account_id")] public string? AccountId { get; set; }

    /// <summary>Only this region.</summary>
    [FromQuery(Name = "region")] public string? Region { get; set; }

    /// <summary>Only tables matching this glob (<c>aws_ec2_*</c>) or name.</summary>
    [FromQuery(Name = "table")] public string? Table { get; set; }

    /// <summary>Only resources tagged <c>Key=Value</c> (tables without tags are left out).</summary>
    [FromQuery(Name = "tag")] public string? Tag { get; set; }

    /// <summary>Only this cloud (the table-name prefix, e.g. <c>aws</c>).</summary>
    [FromQuery(Name = "cloud")] public string? Cloud { get; set; }
}

internal sealed record RunSummary(string RunId, string? Shard, DateOnly ReportDate, DateTime ReportTime, DateTime? StartedAt, DateTime? FinishedAt,
    string Status, long Rows, int Files, long Errors, long ApiCalls, long Throttles, long DurationMs);

internal sealed record RunsResponse(IReadOnlyList<RunSummary> Runs);

internal sealed record RunError(string? RunId, DateOnly? ReportDate, string? AccountId, string? Region, string? TableName, string? Operation, string? ErrorCode, string? Message);

internal sealed record ErrorsResponse(IReadOnlyList<RunError> Errors);

internal sealed record TableSummary(string Name, string Cloud, string Service, string Resource, bool HasTags, IReadOnlyList<string> PrimaryKey);

internal sealed record TablesResponse(IReadOnlyList<TableSummary> Tables);

internal sealed record ColumnInfo(string Name, string Type);

internal sealed record TableDetail(string Name, string Cloud, string Service, string Resource, bool HasTags, IReadOnlyList<string> PrimaryKey,
    IReadOnlyList<string> KeyColumns, IReadOnlyList<ColumnInfo> Columns);

internal sealed record InventoryPage(string Table, string? RunId, DateOnly? ReportDate, string TimeSelection, IReadOnlyList<ColumnInfo> Columns,
    IReadOnlyList<JsonArray> Rows, long Total, string? NextCursor);

internal sealed record ColumnChangeInfo(string Column, JsonNode? Old, JsonNode? New);

internal sealed record HistoryEvent(string RunId, DateOnly ReportDate, string Event, IReadOnlyList<ColumnChangeInfo> Changes);

internal sealed record ResourceHistory(string Table, IReadOnlyDictionary<string, string> Key, JsonObject? Record, DateOnly? RecordReportDate,
    IReadOnlyList<HistoryEvent> History);

internal sealed record SnapshotInfo(string RunId, DateOnly ReportDate, DateTimeOffset ReportTime);

internal sealed record ChangedRow(IReadOnlyDictionary<string, string?> Key, IReadOnlyList<ColumnChangeInfo> Changes);

internal sealed record DiffTableResult(string Table, long Added, long Removed, long Changed, IReadOnlyList<string> ColumnsAdded, IReadOnlyList<string> ColumnsRemoved,
    IReadOnlyList<IReadOnlyDictionary<string, string?>> AddedKeys, IReadOnlyList<IReadOnlyDictionary<string, string?>> RemovedKeys, IReadOnlyList<ChangedRow> ChangedRows);

/// <summary>A unit (table, account, region) one of the two runs did not observe: its rows were left out of the comparison.</summary>
internal sealed record NotComparedUnit(string Table, string AccountId, string Region, string Reason);

internal sealed record DiffResponse(SnapshotInfo From, SnapshotInfo To, IReadOnlyList<DiffTableResult> Tables, IReadOnlyDictionary<string, string> Skipped,
    IReadOnlyList<NotComparedUnit> NotCompared);

internal sealed record TrendCount(DateOnly ReportDate, string Group, long Count);

internal sealed record TrendResponse(string By, IReadOnlyList<TrendCount> Points);

internal sealed record ChurnDay(DateOnly ReportDate, long Added, long Removed, long Changed);

internal sealed record ChurnResponse(IReadOnlyList<ChurnDay> Days);

internal sealed record TagCoverage(string Table, string AccountId, long Total, long Untagged, IReadOnlyDictionary<string, long> Keys);

internal sealed record TagValueCount(string Key, string Value, long Count);

internal sealed record TagsResponse(IReadOnlyList<string> RequiredKeys, IReadOnlyList<TagCoverage> Coverage, IReadOnlyList<TagValueCount> Values);

internal sealed record AgeCount(string Table, string Column, string Bucket, long Count);

internal sealed record PostureCount(string Table, string Check, string Value, long Count);

internal sealed record PostureResponse(IReadOnlyList<AgeCount> Age, IReadOnlyList<PostureCount> Checks);

internal sealed record QueryRequest(string Sql, string? Format, int? MaxRows);

internal sealed record QueryResult(IReadOnlyList<ColumnInfo> Columns, IReadOnlyList<JsonArray> Rows, long RowCount, bool Truncated);
