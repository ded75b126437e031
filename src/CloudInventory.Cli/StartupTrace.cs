using System.Diagnostics;
using System.Globalization;

namespace CloudInventory.Cli;

/// <summary>
/// With <c>CLOUDINV_TRACE_STARTUP=1</c>, prints on standard error how long each start-up phase took (runtime start,
/// command line, catalog, store, query), to see where the time of a short command goes (docs/benchmarks.md).
/// </summary>
internal static class StartupTrace
{
    private static readonly bool s_enabled = Environment.GetEnvironmentVariable("CLOUDINV_TRACE_STARTUP") == "1";
    private static TimeSpan s_last;

    /// <summary>Marks the end of a phase.</summary>
    public static void Mark(string phase)
    {
        if (!s_enabled) return;
        var now = DateTime.Now - Process.GetCurrentProcess().StartTime;
        Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"trace: {phase,-24} +{(now - s_last).TotalMilliseconds,7:F1} ms  (at {now.TotalMilliseconds,7:F1} ms)"));
        s_last = now;
    }
}
