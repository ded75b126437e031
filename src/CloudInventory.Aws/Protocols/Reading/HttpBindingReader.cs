using System.Text;
using CloudInventory.Aws.Models;

namespace CloudInventory.Aws.Protocols.Reading;

/// <summary>
/// Reads the members of a REST output (or error) structure that are bound to the HTTP message
/// rather than the body: single headers (scalars, lists, base64 JSON values, RFC-1123
/// timestamps by default), prefixed header maps, and the status code.
/// </summary>
internal static class HttpBindingReader
{
    /// <summary>Announces every header- and status-bound member of <paramref name="shape"/> present in the response.</summary>
    public static void Read(Operation operation, AwsHttpResponse response, Shape shape, IShapeVisitor visitor)
    {
        var members = StructureBindings.For(shape).HttpMembers;
        foreach (var member in members)
        {
            switch (member.Location)
            {
                case MemberLocation.StatusCode:
                    visitor.Member(member);
                    visitor.Integer(response.StatusCode);
                    break;
                case MemberLocation.Header:
                    if (response.Headers.TryGetValue(member.WireName, out var value)) ReadHeader(operation, response, member, value, visitor);
                    break;
                case MemberLocation.Headers:
                    ReadPrefixedHeaders(operation, response, member, visitor);
                    break;
            }
        }
    }

    private static void ReadHeader(Operation operation, AwsHttpResponse response, Member member, string value, IShapeVisitor visitor)
    {
        var shape = member.Shape;
        if (shape.Type == ShapeType.List)
        {
            var item = shape.ListMember!;
            visitor.Member(member);
            visitor.StartList(shape);
            foreach (var part in SplitList(value, item.Shape.Type == ShapeType.Timestamp && IsHttpDate(item.TimestampFormat ?? member.TimestampFormat)))
            {
                EmitScalar(operation, response, item, member.Name, part, visitor);
            }
            visitor.EndList(shape);
            return;
        }
        if (shape.Type is ShapeType.Structure or ShapeType.Map)
        {
            ResponseProblem.Throw(operation, response, $"binds {shape.Type.ToString().ToLowerInvariant()} member '{member.Name}' to a header, which no protocol allows");
        }
        if (value.Length == 0 && shape.Type != ShapeType.String) return;
        visitor.Member(member);
        EmitScalar(operation, response, member, member.Name, value, visitor);
    }

    private static void ReadPrefixedHeaders(Operation operation, AwsHttpResponse response, Member member, IShapeVisitor visitor)
    {
        var prefix = member.LocationName ?? "";
        var map = member.Shape;
        visitor.Member(member);
        visitor.StartMap(map);
        foreach (var (name, value) in response.Headers)
        {
            if (!name.StartsWith(prefix, StringComparison.OrdinalIgnoreCase)) continue;
            visitor.MapKey(name[prefix.Length..]);
            EmitScalar(operation, response, map.MapValue!, member.Name, value, visitor);
        }
        visitor.EndMap(map);
    }

    private static void EmitScalar(Operation operation, AwsHttpResponse response, Member member, string memberName, string text, IShapeVisitor visitor)
    {
        var shape = member.Shape;
        switch (shape.Type)
        {
            case ShapeType.String:
                if (member.JsonValue)
                {
                    // A jsonvalue header carries base64-encoded JSON text.
                    byte[] json;
                    try { json = Convert.FromBase64String(text.Trim()); }
                    catch (FormatException) { ResponseProblem.BadValue(operation, response, memberName, "base64 JSON value", text); throw; }
                    visitor.String(Encoding.UTF8.GetString(json));
                }
                else
                {
                    visitor.String(StringCache.Get(shape, text));
                }
                break;
            case ShapeType.Integer or ShapeType.Long:
                if (ScalarText.TryParseInteger(text, out var l)) visitor.Integer(l);
                else visitor.Malformed(shape, MalformedValue.Cut(text));
                break;
            case ShapeType.Float or ShapeType.Double:
                if (ScalarText.TryParseDouble(text, out var d)) visitor.Double(d);
                else visitor.Malformed(shape, MalformedValue.Cut(text));
                break;
            case ShapeType.Boolean:
                if (ScalarText.TryParseBoolean(text, out var b)) visitor.Boolean(b);
                else visitor.Malformed(shape, MalformedValue.Cut(text));
                break;
            case ShapeType.Timestamp:
                if (TimestampText.TryParse(text, out var t)) visitor.Timestamp(t);
                else visitor.Malformed(shape, MalformedValue.Cut(text));
                break;
            case ShapeType.Blob:
                if (Base64Text.TryDecode(text, out var bytes)) visitor.Blob(bytes);
                else visitor.Malformed(shape, MalformedValue.Cut(text));
                break;
            default:
                ResponseProblem.Throw(operation, response, $"binds a {shape.Type.ToString().ToLowerInvariant()} in a header list of member '{memberName}'");
                break;
        }
    }

    private static bool IsHttpDate(string? timestampFormat) =>
        timestampFormat is null or "rfc822" or "http-date" or "httpdate";

    /// <summary>
    /// Splits a comma-separated header list. Items may be double-quoted (with backslash escapes) to
    /// carry commas; HTTP dates contain a comma themselves, so their halves are joined back.
    /// </summary>
    internal static List<string> SplitList(string value, bool httpDates)
    {
        var items = new List<string>();
        var i = 0;
        while (i < value.Length)
        {
            while (i < value.Length && value[i] is ' ' or '\t') i++;
            if (i >= value.Length) break;
            if (value[i] == '"')
            {
                var sb = new StringBuilder();
                i++;
                while (i < value.Length && value[i] != '"')
                {
                    if (value[i] == '\\' && i + 1 < value.Length) i++;
                    sb.Append(value[i++]);
                }
                i++;
                items.Add(sb.ToString());
                while (i < value.Length && value[i] != ',') i++;
                i++;
                continue;
            }
            var comma = value.IndexOf(',', i);
            if (comma < 0) comma = value.Length;
            if (httpDates && comma - i <= 4 && comma < value.Length && value.AsSpan(i, comma - i).Trim() is { Length: 3 } day && char.IsAsciiLetter(day[0]))
            {
                // "Mon, 16 Dec 2019 23:48:18 GMT": the first comma belongs to the date.
                var next = value.IndexOf(',', comma + 1);
                comma = next < 0 ? value.Length : next;
            }
            items.Add(value[i..comma].Trim());
            i = comma + 1;
        }
        return items;
    }
}
