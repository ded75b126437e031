using Microsoft.Extensions.Logging;

namespace CloudInventory.Collection.Internal;

/// <summary>
/// The collector's log events (one line each with a JSON formatter), in the order a run makes them: accounts entered or
/// failed, run started (once the work is planned), at the end table errors and skips, throttling, run finished. Messages carry identifiers, counts, error codes
/// and AWS's error messages; never credentials (the run only ever holds them inside credential sources).
/// </summary>
internal static partial class CollectorLog
{
    [LoggerMessage(EventId = 1, EventName = "RunStarted", Level = LogLevel.Information,
        Message = "Run {RunId} started: {Accounts} accounts, {Tables} tables, {Units} work units, shard {Shard}, store {Store}")]
    public static partial void RunStarted(ILogger logger, string runId, int accounts, int tables, int units, string shard, string store);

    [LoggerMessage(EventId = 2, EventName = "RunFinished", Level = LogLevel.Information,
        Message = "Run {RunId} finished {Status} in {DurationMs} ms: {Rows} rows, {Files} files, {ApiCalls} API calls, {Throttles} throttles, {Errors} errors")]
    public static partial void RunFinished(ILogger logger, string runId, string status, long durationMs, long rows, int files, long apiCalls, long throttles, int errors);

    [LoggerMessage(EventId = 3, EventName = "AccountEntered", Level = LogLevel.Information,
        Message = "Account {AccountId} entered: {Regions} regions")]
    public static partial void AccountEntered(ILogger logger, string accountId, int regions);

    [LoggerMessage(EventId = 4, EventName = "AccountFailed", Level = LogLevel.Error,
        Message = "Account {AccountId} could not be entered ({Operation} {ErrorCode}): {ErrorMessage}")]
    public static partial void AccountFailed(ILogger logger, string accountId, string operation, string errorCode, string errorMessage);

    [LoggerMessage(EventId = 5, EventName = "TableError", Level = LogLevel.Warning,
        Message = "Table {Table} in {AccountId}/{Region}: {Operation} failed with {ErrorCode} after {Attempts} attempts: {ErrorMessage}")]
    public static partial void TableError(ILogger logger, string table, string accountId, string region, string operation, string errorCode, int attempts, string errorMessage);

    [LoggerMessage(EventId = 6, EventName = "TableSkipped", Level = LogLevel.Information,
        Message = "Table {Table} in {AccountId}/{Region} skipped: {Operation} {ErrorCode}")]
    public static partial void TableSkipped(ILogger logger, string table, string accountId, string region, string operation, string errorCode);

    [LoggerMessage(EventId = 7, EventName = "Throttled", Level = LogLevel.Warning,
        Message = "AWS throttled {Service} {Count} times in run {RunId}; the rate limiter slowed that service down")]
    public static partial void Throttled(ILogger logger, string runId, string service, long count);

}
