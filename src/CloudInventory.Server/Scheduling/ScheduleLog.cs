using Microsoft.Extensions.Logging;

namespace CloudInventory.Server.Scheduling;

/// <summary>The events of <c>serve --schedule</c> (event ids 40–49; the collector's own are 1–7).</summary>
internal static partial class ScheduleLog
{
    [LoggerMessage(EventId = 40, EventName = "ScheduleStarted", Level = LogLevel.Information,
        Message = "Schedule '{Schedule}' ({TimeZone}, jitter up to {JitterSeconds} s): next run due at {NextRun}; last successful run started {LastSuccess}")]
    public static partial void Started(ILogger logger, string schedule, string timeZone, double jitterSeconds, string nextRun, string lastSuccess);

    [LoggerMessage(EventId = 41, EventName = "RunCatchUp", Level = LogLevel.Information,
        Message = "A run was due since the last successful run (started {LastSuccess}): running once now")]
    public static partial void CatchUp(ILogger logger, string lastSuccess);

    [LoggerMessage(EventId = 42, EventName = "RunSkipped", Level = LogLevel.Warning,
        Message = "A run was due at {Due} while the run started at {RunningSince} was still going: skipped, not doubled")]
    public static partial void Skipped(ILogger logger, string due, string runningSince);

    [LoggerMessage(EventId = 43, EventName = "RunNotStarted", Level = LogLevel.Error,
        Message = "The run due at {Due} could not start: {Reason}")]
    public static partial void NotStarted(ILogger logger, string due, string reason);

    [LoggerMessage(EventId = 44, EventName = "RunAbandoned", Level = LogLevel.Warning,
        Message = "Stopping: the run in flight did not finish within {GraceSeconds} s and was abandoned; nothing of it was published (no manifest)")]
    public static partial void Abandoned(ILogger logger, double graceSeconds);

    [LoggerMessage(EventId = 45, EventName = "StopWaiting", Level = LogLevel.Information,
        Message = "Stopping: waiting up to {GraceSeconds} s for the run in flight to finish")]
    public static partial void StopWaiting(ILogger logger, double graceSeconds);

    [LoggerMessage(EventId = 46, EventName = "ScheduleStopped", Level = LogLevel.Information,
        Message = "Schedule stopped after {Runs} runs ({Skipped} skipped while one was going)")]
    public static partial void Stopped(ILogger logger, int runs, int skipped);

    [LoggerMessage(EventId = 47, EventName = "RunCrashed", Level = LogLevel.Error,
        Message = "The run due at {Due} failed unexpectedly ({ExceptionType}): {Reason}; the schedule goes on")]
    public static partial void Crashed(ILogger logger, string due, string exceptionType, string reason);
}
