using System.Globalization;
using System.Text.RegularExpressions;

namespace CloudInventory.Query;

/// <summary>
/// Which snapshot a diff side means: a date (<c>2026-03-01</c>: the last run of that day, or the last
/// run before it when that day has none), a run id (<c>20260301T060000Z-a1b2c3</c>, or a unique
/// prefix of one), a relative age (<c>7d</c>, <c>2w</c>, <c>1m</c>, <c>1y</c>: the last run on or before
/// that many days/weeks/months/years ago), or <c>now</c> (the latest run).
/// </summary>
public sealed partial class SnapshotReference
{
    private readonly DateOnly? _date;
    private readonly string? _runId;

    private SnapshotReference(string text, DateOnly? date, string? runId)
    {
        Text = text;
        _date = date;
        _runId = runId;
    }

    /// <summary>The text as given.</summary>
    public string Text { get; }

    /// <summary>Parses a reference; relative ages count back from <paramref name="today"/>.</summary>
    /// <exception cref="InventoryQueryException">The text is none of the accepted forms.</exception>
    public static SnapshotReference Parse(string text, DateOnly today)
    {
        ArgumentNullException.ThrowIfNull(text);
        var t = text.Trim();
        if (t.Equals("now", StringComparison.OrdinalIgnoreCase) || t.Equals("latest", StringComparison.OrdinalIgnoreCase)) return new SnapshotReference(t, null, null);
        if (t.Equals("today", StringComparison.OrdinalIgnoreCase)) return new SnapshotReference(t, today, null);
        if (DateOnly.TryParseExact(t, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)) return new SnapshotReference(t, date, null);
        var rel = Relative().Match(t);
        if (rel.Success)
        {
            var n = int.Parse(rel.Groups[1].Value, CultureInfo.InvariantCulture);
            var back = char.ToLowerInvariant(rel.Groups[2].Value[0]) switch
            {
                'd' => today.AddDays(-n),
                'w' => today.AddDays(-7 * n),
                'm' => today.AddMonths(-n),
                _ => today.AddYears(-n),
            };
            return new SnapshotReference(t, back, null);
        }
        if (RunId().IsMatch(t)) return new SnapshotReference(t, null, t);
        throw new InventoryQueryException($"\"{text}\" is not a date (YYYY-MM-DD), a run id (YYYYMMDDTHHMMSSZ-xxxxxx), a relative age (7d, 2w, 1m, 1y) or now.");
    }

    /// <summary>The run this reference means among <paramref name="runs"/> (oldest first).</summary>
    /// <exception cref="InventoryQueryException">No run matches.</exception>
    public InventoryRun Resolve(IReadOnlyList<InventoryRun> runs)
    {
        ArgumentNullException.ThrowIfNull(runs);
        if (runs.Count == 0) throw new InventoryQueryException("the store has no visible runs.");
        if (_runId is not null)
        {
            var matches = runs.Where(r => r.RunId.StartsWith(_runId, StringComparison.OrdinalIgnoreCase)).ToArray();
            return matches.Length switch
            {
                1 => matches[0],
                0 => throw new InventoryQueryException($"no run {_runId} in the store (runs go from {runs[0].RunId} to {runs[^1].RunId})."),
                _ => throw new InventoryQueryException($"run id {_runId} is ambiguous: {string.Join(", ", matches.Take(5).Select(r => r.RunId))}..."),
            };
        }
        if (_date is not { } date) return runs[^1];
        return runs.LastOrDefault(r => r.ReportDate <= date)
            ?? throw new InventoryQueryException($"no run on or before {date:yyyy-MM-dd} ({Text}); the first run is on {runs[0].ReportDate:yyyy-MM-dd}.");
    }

    /// <summary>Parses an age such as <c>90d</c> into the first day it covers, counting back from <paramref name="today"/>.</summary>
    public static DateOnly ParseSince(string text, DateOnly today)
    {
        ArgumentNullException.ThrowIfNull(text);
        var r = Parse(text, today);
        return r._date ?? throw new InventoryQueryException($"--since expects a date or an age such as 90d, got \"{text}\".");
    }

    /// <inheritdoc />
    public override string ToString() => Text;

    [GeneratedRegex(@"^(\d{1,5})([dDwWmMyY])$", RegexOptions.CultureInvariant)]
    private static partial Regex Relative();

    [GeneratedRegex(@"^\d{8}T\d{0,6}", RegexOptions.CultureInvariant)]
    private static partial Regex RunId();
}
