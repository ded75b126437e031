using System.Globalization;

namespace CloudInventory.Aws.Protocols.Reading;

/// <summary>Parses scalar values from wire text (XML element content, header values, JSON strings) without allocating.</summary>
internal static class ScalarText
{
    public static bool TryParseBoolean(ReadOnlySpan<char> text, out bool value)
    {
        text = text.Trim();
        // Real servers send "False" as well as "false".
        if (text.Equals("true", StringComparison.OrdinalIgnoreCase)) { value = true; return true; }
        if (text.Equals("false", StringComparison.OrdinalIgnoreCase)) { value = false; return true; }
        value = false;
        return false;
    }

    public static bool TryParseInteger(ReadOnlySpan<char> text, out long value)
    {
        text = text.Trim();
        if (long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value)) return true;
        // Tolerate integral values written as decimals (e.g. "1.0").
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && d == Math.Floor(d) && Math.Abs(d) < 9.2e18)
        {
            value = (long)d;
            return true;
        }
        return false;
    }

    public static bool TryParseDouble(ReadOnlySpan<char> text, out double value)
    {
        text = text.Trim();
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value)) return true;
        if (text.Equals("NaN", StringComparison.OrdinalIgnoreCase)) { value = double.NaN; return true; }
        if (text.Equals("Infinity", StringComparison.OrdinalIgnoreCase) || text.Equals("+Infinity", StringComparison.OrdinalIgnoreCase) || text.Equals("Inf", StringComparison.OrdinalIgnoreCase))
        {
            value = double.PositiveInfinity;
            return true;
        }
        if (text.Equals("-Infinity", StringComparison.OrdinalIgnoreCase) || text.Equals("-Inf", StringComparison.OrdinalIgnoreCase))
        {
            value = double.NegativeInfinity;
            return true;
        }
        return false;
    }
}
