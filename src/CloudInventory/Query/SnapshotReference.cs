using System.Globalization;
using System.Text.RegularExpressions;
using CloudInventory.Text;

namespace CloudInventory.Query;

/// <summary>
/// Which snapshot a diff side means: a date (<c>2026-03-01</c>: the last run of that day, or the last
/// run before it when that day has none), an ISO date and time (<c>2026-03-01T12:00Z</c>: the last run
/// reported at or before it), a run id (<c>20260301T060000Z-a1b2c3</c>, or a unique prefix of one), an age
/// in the grammar of <see cref="Age"/> (<c>7d</c>, <c>2w</c>, <c>1mo</c>, <c>1y</c>: the last run on or before
/// that day; <c>90s</c>, <c>15min</c>, <c>6h</c>: the last run reported at or before that moment), or
/// <c>now</c> (the latest run). A reference in the future is refused.
/// </summary>
public sealed partial class SnapshotReference
{
    /// <summary>The accepted forms, for messages and help texts.</summary>
    public const string Forms = "a date (YYYY-MM-DD), a date and time (YYYY-MM-DDTHH:MM[:SS]Z), a run id (YYYYMMDDTHHMMSSZ-xxxxxx), an age (" + Age.Forms + ") or now";

    private static readonly string[] s_dateTimeFormats =
    [
        "yyyy-MM-dd'T'HH:mm", "yyyy-MM-dd'T'HH:mm:ss", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF",
        "yyyy-MM-dd'T'HH:mmK", "yyyy-MM-dd'T'HH:mm:ssK", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK",
        "yyyy-MM-dd HH:mm", "yyyy-MM-dd HH:mm:ss", "yyyy-MM-dd HH:mmK", "yyyy-MM-dd HH:mm:ssK",
    ];

    private readonly DateOnly? _date;
    private readonly DateTimeOffset? _moment;
    private readonly string? _runId;

    private SnapshotReference(string text, DateOnly? date, DateTimeOffset? moment, string? runId)
    {
        Text = text;
        _date = date;
        _moment = moment;
        _runId = runId;
    }

    /// <summary>The text as given.</summary>
    public string Text { get; }

    /// <summary>True for <c>now</c> (the latest run).</summary>
    public bool IsLatest => _date is null && _moment is null && _runId is null;

    /// <summary>Parses a reference; ages count back from the end of <paramref name="today"/>.</summary>
    /// <exception cref="InventoryQueryException">The text is none of the accepted forms, or lies in the future.</exception>
    public static SnapshotReference Parse(string text, DateOnly today) =>
        Parse(text, new DateTimeOffset(today.ToDateTime(TimeOnly.MaxValue), TimeSpan.Zero));

    /// <summary>Parses a reference; ages count back from <paramref name="now"/>.</summary>
    /// <exception cref="InventoryQueryException">The text is none of the accepted forms, or lies in the future.</exception>
    public static SnapshotReference Parse(string text, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(text);
        var t = text.Trim();
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        if (t.Equals("now", StringComparison.OrdinalIgnoreCase) || t.Equals("latest", StringComparison.OrdinalIgnoreCase)) return new SnapshotReference(t, null, null, null);
        if (t.Equals("today", StringComparison.OrdinalIgnoreCase)) return new SnapshotReference(t, today, null, null);
        if (DateOnly.TryParseExact(t, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            if (date > today) throw new InventoryQueryException($"\"{text}\" is in the future (today is {today:yyyy-MM-dd}); give a date up to today, or now.");
            return new SnapshotReference(t, date, null, null);
        }
        if (DateTimeOffset.TryParseExact(t, s_dateTimeFormats, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var moment))
        {
            if (moment > now) throw new InventoryQueryException($"\"{text}\" is in the future (it is now {now.UtcDateTime:yyyy-MM-dd'T'HH:mm:ss'Z'}); give a time up to now, or now.");
            return new SnapshotReference(t, null, moment, null);
        }
        if (Age.LooksLikeAge(t) && !RunId().IsMatch(t))
        {
            if (!Age.TryParse(t, out var age, out var error)) throw new InventoryQueryException(error + ".");
            return age.IsWholeDays ? new SnapshotReference(t, age.Before(today), null, null) : new SnapshotReference(t, null, age.Before(now), null);
        }
        if (RunId().IsMatch(t)) return new SnapshotReference(t, null, null, t);
        throw new InventoryQueryException($"\"{text}\" is not {Forms}.");
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
        if (_moment is { } moment)
        {
            return runs.LastOrDefault(r => r.ReportTime <= moment)
                ?? throw new InventoryQueryException($"no run at or before {moment.UtcDateTime:yyyy-MM-dd'T'HH:mm:ss'Z'} ({Text}); the first run is {runs[0].RunId}.");
        }
        if (_date is not { } date) return runs[^1];
        return runs.LastOrDefault(r => r.ReportDate <= date)
            ?? throw new InventoryQueryException($"no run on or before {date:yyyy-MM-dd} ({Text}); the first run is on {runs[0].ReportDate:yyyy-MM-dd}.");
    }

    /// <summary>Parses a date or an age such as <c>90d</c> into the first day it covers, counting back from <paramref name="today"/>.</summary>
    /// <exception cref="InventoryQueryException">It is neither.</exception>
    public static DateOnly ParseSince(string text, DateOnly today)
    {
        ArgumentNullException.ThrowIfNull(text);
        var r = Parse(text, today);
        if (r._moment is { } moment) return DateOnly.FromDateTime(moment.UtcDateTime);
        return r._date ?? throw new InventoryQueryException($"--since expects a date or an age ({Age.Forms}), got \"{text}\".");
    }

    /// <inheritdoc />
    public override string ToString() => Text;

    [GeneratedRegex(@"^\d{8}T\d{0,6}", RegexOptions.CultureInvariant)]
    private static partial Regex RunId();
}
