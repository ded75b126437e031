using System.Globalization;
using Cronos;

namespace CloudInventory.Server.Scheduling;

/// <summary>
/// When <c>cloudinv serve --schedule</c> collects: a cron expression (Cronos; five fields, or six with seconds first, or
/// a macro such as <c>@daily</c>) read in a time zone (daylight-saving changes follow Cronos' rules: a skipped local
/// time runs at the next valid instant, a repeated one once), plus an optional random delay after each due time.
/// </summary>
public sealed class CollectionSchedule
{
    private const int PeriodSample = 24;
    private readonly CronExpression _cron;

    private CollectionSchedule(CronExpression cron, string text, TimeZoneInfo timeZone, TimeSpan jitter)
    {
        _cron = cron;
        Text = text;
        TimeZone = timeZone;
        Jitter = jitter;
    }

    /// <summary>The cron expression as given.</summary>
    public string Text { get; }

    /// <summary>The time zone the expression is read in (UTC by default).</summary>
    public TimeZoneInfo TimeZone { get; }

    /// <summary>The longest random delay added to each due time, so that many servers do not call AWS at the same instant.</summary>
    public TimeSpan Jitter { get; }

    /// <summary>Reads a schedule.</summary>
    /// <param name="cron">Five fields (minute hour day month weekday), six with seconds first, or <c>@hourly</c>, <c>@daily</c>, …</param>
    /// <param name="timeZone">An IANA time zone id (<c>Europe/Berlin</c>), or null for UTC.</param>
    /// <param name="jitter">The longest random delay; it must be shorter than the shortest gap between two due times.</param>
    /// <exception cref="FormatException">The expression, the time zone or the jitter is not usable; the message says why.</exception>
    public static CollectionSchedule Parse(string cron, string? timeZone = null, TimeSpan jitter = default)
    {
        ArgumentNullException.ThrowIfNull(cron);
        var text = cron.Trim();
        var fields = text.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length;
        if (!text.StartsWith('@') && fields is not (5 or 6))
            throw new FormatException($"schedule '{cron}' has {fields} fields: give five (minute hour day-of-month month day-of-week, e.g. '0 6 * * *'), six with seconds first, or @daily/@hourly");
        CronExpression expression;
        try
        {
            expression = CronExpression.Parse(text, fields == 6 ? CronFormat.IncludeSeconds : CronFormat.Standard);
        }
        catch (CronFormatException e)
        {
            throw new FormatException($"schedule '{cron}' is not a cron expression: {e.Message.TrimEnd('.')} (e.g. '0 6 * * *' for 06:00 every day)", e);
        }
        TimeZoneInfo zone;
        try
        {
            zone = timeZone is null || timeZone.Trim() is "UTC" or "Etc/UTC" ? TimeZoneInfo.Utc : TimeZoneInfo.FindSystemTimeZoneById(timeZone.Trim());
        }
        catch (Exception e) when (e is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            throw new FormatException($"schedule_timezone '{timeZone}' is not a time zone this system knows: give an IANA id such as Europe/Berlin or UTC", e);
        }
        var schedule = new CollectionSchedule(expression, text, zone, jitter);
        if (jitter < TimeSpan.Zero) throw new FormatException("schedule_jitter must not be negative");
        var first = schedule.NextAfter(DateTimeOffset.UtcNow)
            ?? throw new FormatException($"schedule '{cron}' is never due (no date matches it)");
        if (jitter > TimeSpan.Zero && jitter >= schedule.ShortestGap(first))
            throw new FormatException(string.Create(CultureInfo.InvariantCulture,
                $"schedule_jitter {jitter.TotalSeconds:0.###} s is not shorter than the shortest gap between two runs of '{cron}' ({schedule.ShortestGap(first).TotalSeconds:0.###} s): give less jitter"));
        return schedule;
    }

    /// <summary>The first due time strictly after <paramref name="time"/>, or null when there is none.</summary>
    public DateTimeOffset? NextAfter(DateTimeOffset time) => _cron.GetNextOccurrence(time, TimeZone);

    /// <summary>The due times in (<paramref name="after"/>, <paramref name="upTo"/>]: those that came while a run was going.</summary>
    public IReadOnlyList<DateTimeOffset> DueBetween(DateTimeOffset after, DateTimeOffset upTo)
    {
        var due = new List<DateTimeOffset>();
        for (var next = NextAfter(after); next is { } n && n <= upTo; next = NextAfter(n)) due.Add(n);
        return due;
    }

    /// <summary>
    /// The catch-up policy after downtime: true when a due time has passed since the last successful run started (or
    /// there has been none), so a server that was down runs once at start instead of waiting for the next due time;
    /// however many due times were missed, it runs once.
    /// </summary>
    public bool Missed(DateTimeOffset? lastSuccessStarted, DateTimeOffset now) =>
        lastSuccessStarted is not { } last || (NextAfter(last) is { } next && next <= now);

    /// <summary>The longest gap between two due times among the next ones after <paramref name="from"/> (a weekday schedule's weekend, say).</summary>
    public TimeSpan LongestGap(DateTimeOffset from) => Gaps(from).DefaultIfEmpty(TimeSpan.FromDays(1)).Max();

    /// <summary>The shortest gap between two due times among the next ones after <paramref name="from"/>.</summary>
    public TimeSpan ShortestGap(DateTimeOffset from) => Gaps(from).DefaultIfEmpty(TimeSpan.FromDays(1)).Min();

    /// <summary>A random delay in [0, <see cref="Jitter"/>).</summary>
    public TimeSpan NextJitter() => Jitter <= TimeSpan.Zero ? TimeSpan.Zero : TimeSpan.FromTicks(Random.Shared.NextInt64(Jitter.Ticks));

    private IEnumerable<TimeSpan> Gaps(DateTimeOffset from)
    {
        var previous = NextAfter(from);
        for (var i = 0; i < PeriodSample && previous is { } p; i++)
        {
            var next = NextAfter(p);
            if (next is not { } n) yield break;
            yield return n - p;
            previous = n;
        }
    }
}
