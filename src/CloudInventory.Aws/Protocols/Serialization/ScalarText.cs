using System.Globalization;
using System.Text.Json.Nodes;
using CloudInventory.Aws.Models;

namespace CloudInventory.Aws.Protocols.Serialization;

/// <summary>
/// Scalars as text, the way they travel in form bodies, query strings, URI labels, headers and
/// XML: booleans lowercase, floats with NaN/Infinity/-Infinity, blobs base64, timestamps in the
/// member's format or the location's default.
/// </summary>
internal static class ScalarText
{
    public const string Iso8601 = "iso8601";
    public const string UnixTimestamp = "unixTimestamp";
    public const string Rfc822 = "rfc822";

    /// <summary>Formats a scalar value of <paramref name="member"/>'s shape; throws for structures, lists and maps.</summary>
    public static string Format(SerializationContext ctx, Member member, JsonNode node, string path, string defaultTimestampFormat)
    {
        var shape = member.Shape;
        return shape.Type switch
        {
            ShapeType.String => InputValues.String(ctx, node, path),
            ShapeType.Integer or ShapeType.Long => InputValues.Integer(ctx, node, path).ToString(CultureInfo.InvariantCulture),
            ShapeType.Float or ShapeType.Double => Double(InputValues.Double(ctx, node, path)),
            ShapeType.Boolean => InputValues.Boolean(ctx, node, path) ? "true" : "false",
            ShapeType.Timestamp => Timestamp(InputValues.Timestamp(ctx, node, path), member.TimestampFormat ?? defaultTimestampFormat),
            ShapeType.Blob => Convert.ToBase64String(InputValues.Blob(ctx, node, path)),
            _ => throw ctx.ParameterError(path, $"is a {shape.Type.ToString().ToLowerInvariant()} and cannot be sent as a single value"),
        };
    }

    /// <summary>A double as botocore writes it: shortest round-trip text, or NaN / Infinity / -Infinity.</summary>
    public static string Double(double value)
    {
        if (double.IsNaN(value)) return "NaN";
        if (double.IsPositiveInfinity(value)) return "Infinity";
        if (double.IsNegativeInfinity(value)) return "-Infinity";
        return value.ToString("R", CultureInfo.InvariantCulture);
    }

    /// <summary>A timestamp in one of the model's formats: <c>iso8601</c>, <c>unixTimestamp</c> or <c>rfc822</c>.</summary>
    public static string Timestamp(DateTimeOffset value, string format)
    {
        var utc = value.UtcDateTime;
        switch (format)
        {
            case UnixTimestamp:
                return EpochSeconds(value).ToString(CultureInfo.InvariantCulture);
            case Rfc822:
                return utc.ToString("ddd, dd MMM yyyy HH:mm:ss 'GMT'", CultureInfo.InvariantCulture);
            default:
                // ISO-8601 (RFC 3339) in UTC; fractional seconds only when there are any, to the millisecond.
                return utc.Ticks % TimeSpan.TicksPerSecond == 0
                    ? utc.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)
                    : utc.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
        }
    }

    /// <summary>Seconds since the epoch, with milliseconds when the value has a fraction.</summary>
    public static decimal EpochSeconds(DateTimeOffset value)
    {
        var ticks = value.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks;
        var millis = ticks / TimeSpan.TicksPerMillisecond;
        return millis % 1000 == 0 ? millis / 1000 : millis / 1000m;
    }
}
