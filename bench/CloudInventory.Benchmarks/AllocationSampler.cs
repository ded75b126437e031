using System.Collections.Concurrent;
using System.Diagnostics.Tracing;
using System.Globalization;

namespace CloudInventory.Benchmarks;

/// <summary>
/// Counts the runtime's allocation samples (one per ~100 KB allocated) by type and heap (small or large object heap),
/// to show where a benchmark's allocations come from. Enabled with CLOUDINV_BENCH_ALLOCATIONS=1.
/// </summary>
internal sealed class AllocationSampler : EventListener
{
    private readonly ConcurrentDictionary<(string Type, bool Large), long> _samples = new();

    protected override void OnEventSourceCreated(EventSource eventSource)
    {
        // GC keyword (0x1) at verbose level carries GCAllocationTick.
        if (eventSource.Name == "Microsoft-Windows-DotNETRuntime") EnableEvents(eventSource, EventLevel.Verbose, (EventKeywords)0x1);
    }

    protected override void OnEventWritten(EventWrittenEventArgs eventData)
    {
        if (eventData.EventName is null || !eventData.EventName.StartsWith("GCAllocationTick", StringComparison.Ordinal) || eventData.Payload is null) return;
        var names = eventData.PayloadNames!;
        var kind = Convert.ToInt32(eventData.Payload[names.IndexOf("AllocationKind")], CultureInfo.InvariantCulture);
        var type = eventData.Payload[names.IndexOf("TypeName")] as string ?? "?";
        var bytes = names.IndexOf("AllocationAmount64") is >= 0 and var i ? Convert.ToInt64(eventData.Payload[i], CultureInfo.InvariantCulture) : 100_000;
        _samples.AddOrUpdate((type, kind == 1), bytes, (_, b) => b + bytes);
    }

    public void Print(TextWriter output, int top = 25)
    {
        foreach (var ((type, large), bytes) in _samples.OrderByDescending(p => p.Value).Take(top))
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"    {bytes / 1048576.0,10:N0} MiB {(large ? "LOH" : "SOH")} {type}"));
        }
    }
}
