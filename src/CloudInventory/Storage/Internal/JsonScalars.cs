using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace CloudInventory.Storage.Internal;

/// <summary>
/// Lossless conversions of JSON scalar nodes to column values. A node can be backed by a parsed
/// JSON element (numbers and strings as written) or by a CLR value (a <see cref="DateTimeOffset"/>,
/// a <c>byte[]</c>, an <see cref="int"/>…); both are accepted. A conversion that would lose
/// information (a fraction into an integer, an out-of-range number, text that is not a number)
/// fails, and the caller stores null.
/// </summary>
internal static class JsonScalars
{
    private const double MaxExactDouble = 9007199254740992d; // 2^53

    public static bool TryGetInt64(JsonNode node, out long result)
    {
        result = 0;
        if (node is not JsonValue value) return false;
        if (value.TryGetValue(out result)) return true;
        switch (value.GetValueKind())
        {
            case JsonValueKind.Number:
                if (value.TryGetValue(out int i32)) { result = i32; return true; }
                if (value.TryGetValue(out double d)) return TryInt64FromDouble(d, out result);
                if (value.TryGetValue(out decimal m))
                {
                    if (m != decimal.Truncate(m) || m < long.MinValue || m > long.MaxValue) return false;
                    result = (long)m;
                    return true;
                }
                return TryParseInt64(value.ToJsonString(), out result);
            case JsonValueKind.String:
                return value.TryGetValue(out string? text) && TryParseInt64(text, out result);
            default:
                return false;
        }
    }

    public static bool TryGetInt32(JsonNode node, out int result)
    {
        if (node is JsonValue direct && direct.TryGetValue(out result)) return true;
        result = 0;
        if (!TryGetInt64(node, out var wide) || wide < int.MinValue || wide > int.MaxValue) return false;
        result = (int)wide;
        return true;
    }

    public static bool TryGetDouble(JsonNode node, out double result)
    {
        result = 0;
        if (node is not JsonValue value) return false;
        if (value.TryGetValue(out result)) return true;
        switch (value.GetValueKind())
        {
            case JsonValueKind.Number:
                if (value.TryGetValue(out float f)) { result = f; return true; }
                if (value.TryGetValue(out long l)) return TryDoubleFromInt64(l, out result);
                if (value.TryGetValue(out int i)) { result = i; return true; }
                if (value.TryGetValue(out decimal m)) { result = (double)m; return (decimal)result == m; }
                return double.TryParse(value.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture, out result);
            case JsonValueKind.String:
                return value.TryGetValue(out string? text)
                    && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out result);
            default:
                return false;
        }
    }

    public static bool TryGetBoolean(JsonNode node, out bool result)
    {
        result = false;
        if (node is not JsonValue value) return false;
        if (value.TryGetValue(out result)) return true;
        switch (value.GetValueKind())
        {
            case JsonValueKind.True: result = true; return true;
            case JsonValueKind.False: return true;
            case JsonValueKind.String:
                return value.TryGetValue(out string? text) && bool.TryParse(text, out result);
            default:
                return false;
        }
    }

    /// <summary>
    /// Milliseconds since the Unix epoch. Accepts date/time values, ISO-8601 text (a missing offset
    /// means UTC) and numbers, which are epoch seconds as in AWS's JSON protocols.
    /// </summary>
    public static bool TryGetEpochMilliseconds(JsonNode node, out long result)
    {
        result = 0;
        if (node is not JsonValue value) return false;
        if (value.TryGetValue(out DateTimeOffset dto)) { result = dto.ToUnixTimeMilliseconds(); return true; }
        if (value.TryGetValue(out DateTime dt))
        {
            result = new DateTimeOffset(dt.Kind == DateTimeKind.Unspecified ? DateTime.SpecifyKind(dt, DateTimeKind.Utc) : dt.ToUniversalTime()).ToUnixTimeMilliseconds();
            return true;
        }
        switch (value.GetValueKind())
        {
            case JsonValueKind.String:
                if (value.TryGetValue(out string? text)
                    && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AllowWhiteSpaces, out dto))
                {
                    result = dto.ToUnixTimeMilliseconds();
                    return true;
                }
                return false;
            case JsonValueKind.Number:
                if (!TryGetDouble(node, out var seconds) || double.IsNaN(seconds) || double.IsInfinity(seconds)) return false;
                var ms = Math.Round(seconds * 1000d);
                if (ms < -62135596800000d || ms > 253402300799999d) return false;
                result = (long)ms;
                return true;
            default:
                return false;
        }
    }

    /// <summary>Bytes from a byte-array value or base64 text (how JSON carries AWS blobs).</summary>
    public static bool TryGetBytes(JsonNode node, out ReadOnlyMemory<byte> result)
    {
        result = default;
        if (node is not JsonValue value) return false;
        if (value.TryGetValue(out byte[]? bytes)) { result = bytes; return true; }
        if (value.TryGetValue(out ReadOnlyMemory<byte> rom)) { result = rom; return true; }
        if (value.TryGetValue(out Memory<byte> mem)) { result = mem; return true; }
        if (value.GetValueKind() == JsonValueKind.String && value.TryGetValue(out string? text))
        {
            var buffer = new byte[text.Length * 3 / 4 + 3];
            if (Convert.TryFromBase64String(text, buffer, out var written))
            {
                result = buffer.AsMemory(0, written);
                return true;
            }
        }
        return false;
    }

    /// <summary>Text for a string column: strings as they are, numbers and booleans as their JSON text, date/times as ISO-8601.</summary>
    public static bool TryGetString(JsonNode node, out string? result)
    {
        result = null;
        if (node is not JsonValue value) return false;
        if (value.TryGetValue(out result)) return true;
        switch (value.GetValueKind())
        {
            case JsonValueKind.String:
                if (value.TryGetValue(out DateTimeOffset dto)) { result = dto.ToString("O", CultureInfo.InvariantCulture); return true; }
                if (value.TryGetValue(out DateTime dt)) { result = dt.ToString("O", CultureInfo.InvariantCulture); return true; }
                if (value.TryGetValue(out char c)) { result = c.ToString(); return true; }
                result = JsonSerializer.Deserialize<string>(value.ToJsonString());
                return result is not null;
            case JsonValueKind.Number:
                result = value.ToJsonString();
                return true;
            case JsonValueKind.True:
                result = "true";
                return true;
            case JsonValueKind.False:
                result = "false";
                return true;
            default:
                return false;
        }
    }

    private static bool TryParseInt64(string? text, out long result) =>
        long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out result)
        || (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && TryInt64FromDouble(d, out result));

    private static bool TryInt64FromDouble(double d, out long result)
    {
        result = 0;
        if (double.IsNaN(d) || Math.Abs(d) > MaxExactDouble || d != Math.Truncate(d)) return false;
        result = (long)d;
        return true;
    }

    private static bool TryDoubleFromInt64(long l, out double result)
    {
        result = l;
        return Math.Abs(l) <= (long)MaxExactDouble;
    }
}
