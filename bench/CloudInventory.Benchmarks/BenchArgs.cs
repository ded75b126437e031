using System.Globalization;

namespace CloudInventory.Benchmarks;

/// <summary>Reads <c>--name value</c> options of the end-to-end bench commands.</summary>
internal static class BenchArgs
{
    public static string? Text(string[] args, string name)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }

    public static int Int(string[] args, string name, int fallback) =>
        Text(args, name) is { } t ? int.Parse(t, NumberStyles.Integer, CultureInfo.InvariantCulture) : fallback;

    public static double Double(string[] args, string name, double fallback) =>
        Text(args, name) is { } t ? double.Parse(t, NumberStyles.Float, CultureInfo.InvariantCulture) : fallback;

    /// <summary>The process's peak resident set size (VmHWM) in bytes, from /proc/self/status; -1 where there is none.</summary>
    public static long PeakRssBytes() => ReadStatusKb("VmHWM:") is { } kb ? kb * 1024 : -1;

    /// <summary>The process's resident set size now (VmRSS) in bytes; -1 where there is none.</summary>
    public static long RssBytes() => ReadStatusKb("VmRSS:") is { } kb ? kb * 1024 : -1;

    private static long? ReadStatusKb(string field)
    {
        const string status = "/proc/self/status";
        if (!File.Exists(status)) return null;
        foreach (var line in File.ReadLines(status))
        {
            if (!line.StartsWith(field, StringComparison.Ordinal)) continue;
            var parts = line[field.Length..].Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries);
            return long.Parse(parts[0], CultureInfo.InvariantCulture);
        }
        return null;
    }
}
