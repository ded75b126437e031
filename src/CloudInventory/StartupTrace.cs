using System.Diagnostics;
using System.Globalization;

namespace CloudInventory;

/// <summary>
/// With <c>CLOUDINV_TRACE_STARTUP=1</c>, prints on standard error how long each start-up phase took (runtime start,
/// command line, catalog, store, query), to see where the time of a short command goes (docs/benchmarks.md).
/// </summary>
public static class StartupTrace
{
    private static readonly bool s_enabled = Environment.GetEnvironmentVariable("CLOUDINV_TRACE_STARTUP") == "1";
    private static TimeSpan s_last;
    private static TimeSpan s_lastCpu;

    /// <summary>Marks the end of a phase.</summary>
    public static void Mark(string phase)
    {
        if (!s_enabled) return;
        using var process = Process.GetCurrentProcess();
        var now = DateTime.Now - process.StartTime;
        var cpu = process.TotalProcessorTime; // CPU time tells the phases apart even on a loaded machine, where wall time does not
        Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"trace: {phase,-24} +{(now - s_last).TotalMilliseconds,7:F1} ms  (at {now.TotalMilliseconds,7:F1} ms)  cpu +{(cpu - s_lastCpu).TotalMilliseconds,6:F1} ms  (at {cpu.TotalMilliseconds,6:F1} ms)"));
        s_last = now;
        s_lastCpu = cpu;
    }
}
