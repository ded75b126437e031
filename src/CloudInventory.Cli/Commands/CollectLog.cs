using Microsoft.Extensions.Logging;

namespace CloudInventory.Cli.Commands;

/// <summary>The events <c>collect</c> logs itself (the collector logs the rest).</summary>
internal static partial class CollectLog
{
    [LoggerMessage(EventId = 20, EventName = "RunFailedToStart", Level = LogLevel.Error, Message = "The run could not start: {Reason}")]
    public static partial void RunFailedToStart(ILogger logger, string reason);
}
