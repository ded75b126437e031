using System.Globalization;

namespace CloudInventory.Simulator;

/// <summary>Added latency per call: fixed, uniform between two bounds, or none. Parsed from <c>50</c>, <c>20-80</c>.</summary>
/// <param name="MinMs">The lower bound in milliseconds.</param>
/// <param name="MaxMs">The upper bound in milliseconds.</param>
public sealed record LatencyDistribution(int MinMs, int MaxMs)
{
    /// <summary>No added latency.</summary>
    public static LatencyDistribution None { get; } = new(0, 0);

    /// <summary>Parses <c>N</c> or <c>MIN-MAX</c> (milliseconds).</summary>
    /// <exception cref="FormatException">The text is neither.</exception>
    public static LatencyDistribution Parse(string text)
    {
        var parts = text.Split('-', 2);
        if (parts.Length == 1 && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var fixedMs)) return new(fixedMs, fixedMs);
        if (parts.Length == 2 && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var min)
            && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var max) && min <= max) return new(min, max);
        throw new FormatException($"invalid latency '{text}': use milliseconds, e.g. 50 or 20-80");
    }

    /// <summary>Draws a latency from a unit random number.</summary>
    public TimeSpan Sample(double unit) => TimeSpan.FromMilliseconds(MinMs + (MaxMs - MinMs) * unit);
}
