using System.Diagnostics.CodeAnalysis;
using System.Text;
using System.Text.Json;
using System.Xml;
using CloudInventory.Aws.Models;

namespace CloudInventory.Aws.Protocols.Reading;

/// <summary>
/// Builds the one-line <see cref="AwsProtocolException"/> messages of the readers, always naming
/// the service, the operation and the HTTP status, and tells truncated bodies from malformed ones.
/// </summary>
internal static class ResponseProblem
{
    public static string Prefix(Operation operation, AwsHttpResponse response) =>
        $"{operation.Service.Name} {operation.Name}: HTTP {response.StatusCode} response";

    [DoesNotReturn]
    public static void Throw(Operation operation, AwsHttpResponse response, string problem, Exception? inner = null) =>
        throw new AwsProtocolException($"{Prefix(operation, response)} {problem}", inner);

    [DoesNotReturn]
    public static void BadValue(Operation operation, AwsHttpResponse response, string? memberName, string typeName, ReadOnlySpan<char> text)
    {
        var shown = text.Length > 60 ? string.Concat(text[..60], "…") : text.ToString();
        var where = string.IsNullOrEmpty(memberName) ? "a value" : $"member '{memberName}'";
        Throw(operation, response, $"has {where} that is not a valid {typeName}: '{shown}'");
    }

    /// <summary>The <see cref="AwsProtocolException"/> for a parser's exception, or null for exceptions that are not about the body (e.g. from a visitor).</summary>
    public static AwsProtocolException? Translate(Operation operation, AwsHttpResponse response, Exception ex) => ex switch
    {
        XmlException xml => FromXml(operation, response, xml),
        JsonException json => FromJson(operation, response, json),
        InvalidOperationException { InnerException: DecoderFallbackException } => new AwsProtocolException($"{Prefix(operation, response)} body is not valid UTF-8", ex),
        _ => null,
    };

    public static AwsProtocolException FromXml(Operation operation, AwsHttpResponse response, XmlException ex)
    {
        var truncated = ex.Message.Contains("Unexpected end of file", StringComparison.OrdinalIgnoreCase)
            || ex.Message.Contains("not closed", StringComparison.OrdinalIgnoreCase) && EndsInsideMarkup(response.Body.Span);
        var where = $"(line {ex.LineNumber}, position {ex.LinePosition})";
        var what = truncated ? $"body is truncated XML {where}" : $"body is malformed XML {where}: {FirstSentence(ex.Message)}";
        return new AwsProtocolException($"{Prefix(operation, response)} {what}", ex);
    }

    public static AwsProtocolException FromJson(Operation operation, AwsHttpResponse response, JsonException ex)
    {
        var where = $"(line {(ex.LineNumber ?? 0) + 1}, byte {ex.BytePositionInLine ?? 0})";
        var what = IsTruncatedJson(response.Body.Span) ? $"body is truncated JSON {where}" : $"body is malformed JSON {where}: {FirstSentence(ex.Message)}";
        return new AwsProtocolException($"{Prefix(operation, response)} {what}", ex);
    }

    /// <summary>True when the body looks like an HTML page (a proxy, load balancer or captive portal answered).</summary>
    public static bool IsHtml(ReadOnlySpan<byte> body)
    {
        var start = SkipWhitespace(body);
        if (start.IsEmpty || start[0] != (byte)'<') return false;
        var head = start[..Math.Min(start.Length, 512)];
        return Contains(head, "<!doctype html"u8) || Contains(head, "<html"u8);
    }

    public static bool IsBlank(ReadOnlySpan<byte> body) => SkipWhitespace(body).IsEmpty;

    public static ReadOnlySpan<byte> SkipWhitespace(ReadOnlySpan<byte> body)
    {
        if (body.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF])) body = body[3..];
        var i = 0;
        while (i < body.Length && body[i] is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n') i++;
        return body[i..];
    }

    private static bool Contains(ReadOnlySpan<byte> haystack, ReadOnlySpan<byte> lowerNeedle)
    {
        for (var i = 0; i + lowerNeedle.Length <= haystack.Length; i++)
        {
            var match = true;
            for (var j = 0; j < lowerNeedle.Length && match; j++)
            {
                var b = haystack[i + j];
                if (b is >= (byte)'A' and <= (byte)'Z') b = (byte)(b + 32);
                match = b == lowerNeedle[j];
            }
            if (match) return true;
        }
        return false;
    }

    private static bool EndsInsideMarkup(ReadOnlySpan<byte> body)
    {
        var trimmed = body.TrimEnd(" \t\r\n"u8);
        return trimmed.IsEmpty || trimmed[^1] != (byte)'>';
    }

    /// <summary>A JSON body is truncated when a non-final read of it runs out of data without a syntax error.</summary>
    private static bool IsTruncatedJson(ReadOnlySpan<byte> body)
    {
        var reader = new Utf8JsonReader(body, isFinalBlock: false, default);
        try
        {
            while (reader.Read())
            {
                if (reader.CurrentDepth == 0 && reader.TokenType is JsonTokenType.EndObject or JsonTokenType.EndArray) return false;
            }
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static string FirstSentence(string message)
    {
        var line = message.Split('\n', 2)[0].Trim();
        var cut = line.IndexOf(". ", StringComparison.Ordinal);
        if (cut > 0) line = line[..cut];
        var sb = new StringBuilder(line.Length);
        foreach (var c in line) sb.Append(char.IsControl(c) ? ' ' : c);
        return sb.ToString().TrimEnd('.');
    }
}
