using System.Globalization;
using System.Text.RegularExpressions;

namespace CloudInventory.Text;

/// <summary>
/// A length of time counted back from now, in the one grammar every command accepts: a whole number and a
/// unit, <c>90s</c>, <c>15min</c>, <c>6h</c>, <c>2d</c>, <c>1w</c>, <c>1mo</c>, <c>1y</c> (or <c>0</c>).
/// Months and years are calendar months and years. A bare <c>m</c> is refused everywhere with the same
/// message, because it means minutes to some and months to others.
/// </summary>
public sealed partial class Age
{
    /// <summary>The accepted forms, for messages and help texts.</summary>
    public const string Forms = "90s, 15min, 6h, 2d, 1w, 1mo or 1y";

    private readonly TimeSpan _span;
    private readonly int _months;

    private Age(string text, TimeSpan span, int months)
    {
        Text = text;
        _span = span;
        _months = months;
    }

    /// <summary>The text as given.</summary>
    public string Text { get; }

    /// <summary>True for an age of whole days, weeks, months or years (which count calendar days back).</summary>
    public bool IsWholeDays => _months > 0 || (_span.Ticks % TimeSpan.TicksPerDay == 0);

    /// <summary>True when the text looks like an age (digits, then letters), so a caller can tell a bad age from another kind of value.</summary>
    public static bool LooksLikeAge(string text) => text is not null && Shape().IsMatch(text.Trim());

    /// <summary>Parses an age.</summary>
    /// <exception cref="FormatException">It is not one; the message says which forms are accepted (and why <c>m</c> is refused).</exception>
    public static Age Parse(string text)
    {
        if (TryParse(text, out var age, out var error)) return age;
        throw new FormatException(error);
    }

    /// <summary>Parses an age, or gives the reason it is not one.</summary>
    public static bool TryParse(string? text, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out Age? age, out string error)
    {
        age = null;
        error = "";
        var t = (text ?? "").Trim();
        if (t == "0")
        {
            age = new Age(t, TimeSpan.Zero, 0);
            return true;
        }
        var match = Pattern().Match(t);
        if (!match.Success || !long.TryParse(match.Groups[1].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var n))
        {
            error = AmbiguousMinutes().IsMatch(t)
                ? $"\"{text}\": m is ambiguous (minutes or months); write {t[..^1]}min or {t[..^1]}mo"
                : $"\"{text}\" is not a duration such as {Forms}";
            return false;
        }
        var unit = match.Groups[2].Value.ToLowerInvariant();
        if (unit is "mo" or "y")
        {
            var months = unit == "y" ? n * 12 : n;
            if (months > 12 * 1000)
            {
                error = $"\"{text}\" is too long (at most 1000 years)";
                return false;
            }
            age = new Age(t, TimeSpan.Zero, (int)months);
            return true;
        }
        var step = unit switch
        {
            "s" => TimeSpan.FromSeconds(1),
            "min" => TimeSpan.FromMinutes(1),
            "h" => TimeSpan.FromHours(1),
            "d" => TimeSpan.FromDays(1),
            _ => TimeSpan.FromDays(7),
        };
        if (n > TimeSpan.FromDays(366 * 1000).Ticks / step.Ticks)
        {
            error = $"\"{text}\" is too long (at most 1000 years)";
            return false;
        }
        age = new Age(t, step * n, 0);
        return true;
    }

    /// <summary>The moment this age before <paramref name="now"/>.</summary>
    public DateTimeOffset Before(DateTimeOffset now) => _months > 0 ? now.AddMonths(-_months) : now - _span;

    /// <summary>The day this age before <paramref name="today"/> (ages shorter than a day round to whole days, down).</summary>
    public DateOnly Before(DateOnly today) =>
        _months > 0 ? today.AddMonths(-_months) : DateOnly.FromDateTime(today.ToDateTime(TimeOnly.MinValue) - TimeSpan.FromDays(Math.Floor(_span.TotalDays)));

    /// <summary>The length of this age counted back from <paramref name="now"/> (calendar months and years have varying lengths).</summary>
    public TimeSpan Length(DateTimeOffset now) => now - Before(now);

    /// <inheritdoc />
    public override string ToString() => Text;

    [GeneratedRegex(@"^(\d{1,12})(s|min|h|d|w|mo|y)$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();

    [GeneratedRegex(@"^\d+m$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex AmbiguousMinutes();

    [GeneratedRegex(@"^\d+[a-z]+$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Shape();
}
