using System.Globalization;

namespace CloudInventory.Aws.Protocols.Reading;

/// <summary>
/// Parses every timestamp form AWS responses use, whatever the model says: ISO-8601 with or
/// without fractional seconds and offsets, RFC-1123 (HTTP dates), and epoch seconds (integral
/// or fractional). Results are UTC. The common ISO-8601 form takes an allocation-free fast path.
/// </summary>
internal static class TimestampText
{
    public static bool TryParse(ReadOnlySpan<char> text, out DateTimeOffset value)
    {
        text = text.Trim();
        value = default;
        if (text.IsEmpty) return false;
        if (LooksLikeEpoch(text)) return TryParseEpoch(text, out value);
        if (TryParseIso8601(text, out value)) return true;
        const DateTimeStyles styles = DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal | DateTimeStyles.AllowWhiteSpaces;
        if (DateTimeOffset.TryParseExact(text, "r", CultureInfo.InvariantCulture, styles, out value)) return Utc(ref value);
        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, styles, out value)) return Utc(ref value);
        return false;
    }

    /// <summary>Parses epoch seconds from text such as <c>1398796238</c>, <c>-1.5</c> or <c>1.398796238E9</c>, exactly to the tick when no exponent is used.</summary>
    public static bool TryParseEpoch(ReadOnlySpan<char> text, out DateTimeOffset value)
    {
        value = default;
        if (text.ContainsAny('e', 'E'))
        {
            // Decimal keeps 1.706933106785E9 exact to the tick, where a double would not.
            if (!decimal.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) || Math.Abs(seconds) > 100_000_000_000m) return false;
            return TryFromTicks((long)Math.Round(seconds * TimeSpan.TicksPerSecond), out value);
        }
        var negative = false;
        var i = 0;
        if (text[0] is '-' or '+') { negative = text[0] == '-'; i = 1; }
        long whole = 0;
        var digits = 0;
        for (; i < text.Length && char.IsAsciiDigit(text[i]); i++, digits++)
        {
            if (whole > 100_000_000_000L) return false;
            whole = whole * 10 + (text[i] - '0');
        }
        long fraction = 0;
        if (i < text.Length && text[i] == '.')
        {
            i++;
            var scale = 0;
            for (; i < text.Length && char.IsAsciiDigit(text[i]); i++, digits++)
            {
                if (scale < 7) { fraction = fraction * 10 + (text[i] - '0'); scale++; }
            }
            for (; scale < 7; scale++) fraction *= 10;
        }
        if (i != text.Length || digits == 0) return false;
        var ticks = whole * TimeSpan.TicksPerSecond + fraction;
        return TryFromTicks(negative ? -ticks : ticks, out value);
    }

    /// <summary>Parses epoch seconds from a UTF-8 JSON number.</summary>
    public static bool TryParseEpoch(ReadOnlySpan<byte> utf8, out DateTimeOffset value)
    {
        Span<char> chars = stackalloc char[64];
        if (utf8.Length > chars.Length) { value = default; return false; }
        for (var i = 0; i < utf8.Length; i++) chars[i] = (char)utf8[i];
        return TryParseEpoch(chars[..utf8.Length], out value);
    }

    private static bool TryFromTicks(long epochTicks, out DateTimeOffset value)
    {
        var ticks = DateTimeOffset.UnixEpoch.Ticks + epochTicks;
        if (ticks < DateTimeOffset.MinValue.Ticks || ticks > DateTimeOffset.MaxValue.Ticks) { value = default; return false; }
        value = new DateTimeOffset(ticks, TimeSpan.Zero);
        return true;
    }

    private static bool LooksLikeEpoch(ReadOnlySpan<char> text)
    {
        var i = text[0] is '-' or '+' ? 1 : 0;
        if (i >= text.Length) return false;
        for (; i < text.Length; i++)
        {
            var c = text[i];
            if (!char.IsAsciiDigit(c) && c is not ('.' or 'e' or 'E' or '+' or '-')) return false;
            // A '-' after a digit run of four is an ISO date (2019-12-16), not an exponent sign.
            if (c is '-' or '+' && text[i - 1] is not ('e' or 'E')) return false;
        }
        return true;
    }

    /// <summary>yyyy-MM-ddTHH:mm:ss[.f+][Z|±HH:mm|±HHmm] (also a space or lowercase t as separator).</summary>
    private static bool TryParseIso8601(ReadOnlySpan<char> s, out DateTimeOffset value)
    {
        value = default;
        if (s.Length < 19 || s[4] != '-' || s[7] != '-' || s[10] is not ('T' or 't' or ' ') || s[13] != ':' || s[16] != ':') return false;
        if (!Digits(s, 0, 4, out var year) || !Digits(s, 5, 2, out var month) || !Digits(s, 8, 2, out var day)
            || !Digits(s, 11, 2, out var hour) || !Digits(s, 14, 2, out var minute) || !Digits(s, 17, 2, out var second)) return false;
        if (year < 1 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month) || hour > 23 || minute > 59 || second > 59) return false;
        var i = 19;
        long fraction = 0;
        if (i < s.Length && s[i] is '.' or ',')
        {
            i++;
            var scale = 0;
            var start = i;
            for (; i < s.Length && char.IsAsciiDigit(s[i]); i++)
            {
                if (scale < 7) { fraction = fraction * 10 + (s[i] - '0'); scale++; }
            }
            if (i == start) return false;
            for (; scale < 7; scale++) fraction *= 10;
        }
        var offsetMinutes = 0;
        if (i < s.Length)
        {
            if (s[i] is 'Z' or 'z') { i++; }
            else if (s[i] is '+' or '-')
            {
                var sign = s[i] == '-' ? -1 : 1;
                i++;
                if (!Digits(s, i, 2, out var oh)) return false;
                i += 2;
                if (i < s.Length && s[i] == ':') i++;
                var om = 0;
                if (i < s.Length)
                {
                    if (!Digits(s, i, 2, out om)) return false;
                    i += 2;
                }
                offsetMinutes = sign * (oh * 60 + om);
            }
            if (i != s.Length) return false;
        }
        var ticks = new DateTime(year, month, day, hour, minute, second, DateTimeKind.Utc).Ticks + fraction - offsetMinutes * TimeSpan.TicksPerMinute;
        if (ticks < DateTime.MinValue.Ticks || ticks > DateTime.MaxValue.Ticks) return false;
        value = new DateTimeOffset(ticks, TimeSpan.Zero);
        return true;
    }

    private static bool Digits(ReadOnlySpan<char> s, int start, int count, out int value)
    {
        value = 0;
        if (start + count > s.Length) return false;
        for (var i = start; i < start + count; i++)
        {
            var c = s[i];
            if (!char.IsAsciiDigit(c)) return false;
            value = value * 10 + (c - '0');
        }
        return true;
    }

    private static bool Utc(ref DateTimeOffset value)
    {
        value = value.ToUniversalTime();
        return true;
    }
}
