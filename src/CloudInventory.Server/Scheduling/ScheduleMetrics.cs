using System.Diagnostics.Metrics;

namespace CloudInventory.Server.Scheduling;

/// <summary>
/// The schedule's metrics (meter <see cref="ScheduledCollection.MeterName"/>), beside the collector's: due runs skipped
/// because one was still going, runs that could not start, runs abandoned at a stop.
/// </summary>
internal static class ScheduleMetrics
{
    private static readonly Meter s_meter = new(ScheduledCollection.MeterName, Collection.InventoryCollector.ToolVersion);
    private static readonly Counter<long> s_skipped = s_meter.CreateCounter<long>("cloudinv.schedule.skipped", "{run}", "Due runs not started because the previous run was still going.");
    private static readonly Counter<long> s_notStarted = s_meter.CreateCounter<long>("cloudinv.schedule.not_started", "{run}", "Due runs that could not start (credentials, store, AWS unavailable).");
    private static readonly Counter<long> s_abandoned = s_meter.CreateCounter<long>("cloudinv.schedule.abandoned", "{run}", "Runs abandoned at a stop because they did not finish within the grace period.");

    public static void Skipped() => s_skipped.Add(1);

    public static void NotStarted() => s_notStarted.Add(1);

    public static void Abandoned() => s_abandoned.Add(1);
}
