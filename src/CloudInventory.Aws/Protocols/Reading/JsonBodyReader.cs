using System.Buffers;
using System.Text;
using System.Text.Json;
using CloudInventory.Aws.Models;

namespace CloudInventory.Aws.Protocols.Reading;

/// <summary>
/// Walks a JSON body (json 1.0/1.1, rest-json) with <see cref="Utf8JsonReader"/>, driven by the
/// shape, and streams values into a visitor. Keys are matched against the structure's members
/// without allocating (the next member in model order is tried first, then a span look-up);
/// unknown keys and nulls are skipped; <c>__type</c> in unions is ignored as an unknown key.
/// </summary>
internal sealed class JsonBodyReader(Operation operation, AwsHttpResponse response, IShapeVisitor visitor)
{
    private static readonly JsonReaderOptions s_options = new() { CommentHandling = JsonCommentHandling.Skip, MaxDepth = 256 };
    private readonly char[] _chars = new char[128];

    public static Utf8JsonReader Open(ReadOnlyMemory<byte> body) => new(body.Span, s_options);

    /// <summary>Moves to the first token; throws when the body is an HTML page.</summary>
    public void MoveToFirstToken(ref Utf8JsonReader reader)
    {
        if (ResponseProblem.IsHtml(response.Body.Span))
        {
            ResponseProblem.Throw(operation, response, "body is an HTML page, not JSON (a proxy or gateway answered instead of the service?)");
        }
        if (ResponseProblem.SkipWhitespace(response.Body.Span) is [(byte)'<', ..])
        {
            ResponseProblem.Throw(operation, response, "body is XML, not JSON (wrong endpoint or protocol?)");
        }
        if (!reader.Read()) ResponseProblem.Throw(operation, response, "body has no JSON value");
    }

    /// <summary>Reads to the end of the body, so trailing garbage is detected.</summary>
    public static void ReadToEnd(ref Utf8JsonReader reader)
    {
        while (reader.Read())
        {
        }
    }

    /// <summary>On a StartObject token: announces the structure's members (not the structure itself).</summary>
    public void ReadStructureContent(ref Utf8JsonReader reader, Shape shape, string? memberName = null)
    {
        Expect(ref reader, JsonTokenType.StartObject, shape, memberName);
        var bindings = StructureBindings.For(shape);
        var members = bindings.JsonMembers;
        var names = bindings.JsonUtf8Names;
        var next = 0;
        var seen = default(SeenMembers);
        Span<char> keyBuffer = _chars;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            int index;
            if (next < names.Length && reader.ValueTextEquals(names[next]))
            {
                index = next;
            }
            else
            {
                index = FindKey(ref reader, bindings, keyBuffer);
            }
            reader.Read();
            // Unknown keys, nulls and repeated keys (the first one stands) are skipped.
            if (index < 0 || reader.TokenType == JsonTokenType.Null || !seen.TryMark(index))
            {
                reader.Skip();
                continue;
            }
            next = index + 1;
            var member = members[index];
            visitor.Member(member);
            if (bindings.JsonStrings[index] is { } strings && reader.TokenType == JsonTokenType.String) visitor.String(ReadRecentString(ref reader, strings));
            else ReadValue(ref reader, member.Shape, member.Name);
        }
        if (reader.TokenType != JsonTokenType.EndObject) ResponseProblem.Throw(operation, response, "body is truncated JSON (it ends inside an object)");
    }

    /// <summary>On any value token: announces the structure with its members.</summary>
    public void ReadStructure(ref Utf8JsonReader reader, Shape shape, string? memberName = null)
    {
        visitor.StartStructure(shape);
        ReadStructureContent(ref reader, shape, memberName);
        visitor.EndStructure(shape);
    }

    /// <summary>On a value token: announces the member, then its value.</summary>
    public void ReadMemberValue(ref Utf8JsonReader reader, Member member)
    {
        visitor.Member(member);
        ReadValue(ref reader, member.Shape, member.Name);
    }

    private static int FindKey(ref Utf8JsonReader reader, StructureBindings bindings, scoped Span<char> buffer)
    {
        var length = reader.HasValueSequence ? (int)reader.ValueSequence.Length : reader.ValueSpan.Length;
        if (length <= buffer.Length)
        {
            var written = reader.CopyString(buffer);
            return bindings.FindJson(buffer[..written]);
        }
        return bindings.FindJson(reader.GetString());
    }

    /// <summary>On a value token: emits the value (lists and maps keep their nulls).</summary>
    public void ReadValue(ref Utf8JsonReader reader, Shape shape, string memberName)
    {
        if (shape.Document)
        {
            var element = JsonElement.ParseValue(ref reader);
            visitor.Document(element);
            return;
        }
        switch (shape.Type)
        {
            case ShapeType.Structure:
                ReadStructure(ref reader, shape, memberName);
                return;
            case ShapeType.List:
                Expect(ref reader, JsonTokenType.StartArray, shape, memberName);
                visitor.StartList(shape);
                var item = shape.ListMember!.Shape;
                var items = RecentStrings.ForListItems(shape);
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    if (reader.TokenType == JsonTokenType.Null) visitor.Null();
                    else if (items is not null && reader.TokenType == JsonTokenType.String) visitor.String(ReadRecentString(ref reader, items));
                    else ReadValue(ref reader, item, memberName);
                }
                visitor.EndList(shape);
                return;
            case ShapeType.Map:
                Expect(ref reader, JsonTokenType.StartObject, shape, memberName);
                visitor.StartMap(shape);
                var keyShape = shape.MapKey!.Shape;
                var valueShape = shape.MapValue!.Shape;
                var keys = RecentStrings.ForMapKeys(shape);
                Span<char> keyBuffer = _chars;
                while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                {
                    var key = keys is not null ? ReadRecentString(ref reader, keys) : ReadString(ref reader, keyShape, keyBuffer);
                    reader.Read();
                    // Maps are dense unless modelled sparse (the models carry no sparse trait): a null entry is absent.
                    if (reader.TokenType == JsonTokenType.Null) continue;
                    visitor.MapKey(key);
                    ReadValue(ref reader, valueShape, memberName);
                }
                visitor.EndMap(shape);
                return;
            default:
                ReadScalar(ref reader, shape, memberName);
                return;
        }
    }

    private void ReadScalar(ref Utf8JsonReader reader, Shape shape, string memberName)
    {
        Span<char> chars = _chars;
        switch (shape.Type)
        {
            case ShapeType.String:
                if (reader.TokenType != JsonTokenType.String) Mismatch(ref reader, shape, memberName);
                visitor.String(ReadString(ref reader, shape, chars));
                return;
            case ShapeType.Integer or ShapeType.Long:
                if (reader.TokenType == JsonTokenType.Number && reader.TryGetInt64(out var l))
                {
                    visitor.Integer(l);
                    return;
                }
                ExpectScalarToken(ref reader, shape, memberName);
                if (ScalarText.TryParseInteger(Text(ref reader, chars), out l)) visitor.Integer(l);
                else Malformed(ref reader, shape, chars);
                return;
            case ShapeType.Float or ShapeType.Double:
                if (reader.TokenType == JsonTokenType.Number && reader.TryGetDouble(out var d))
                {
                    visitor.Double(d);
                    return;
                }
                ExpectScalarToken(ref reader, shape, memberName);
                if (reader.TokenType is JsonTokenType.String or JsonTokenType.Number && ScalarText.TryParseDouble(Text(ref reader, chars), out d)) visitor.Double(d);
                else Malformed(ref reader, shape, chars);
                return;
            case ShapeType.Boolean:
                if (reader.TokenType is JsonTokenType.True or JsonTokenType.False)
                {
                    visitor.Boolean(reader.TokenType == JsonTokenType.True);
                    return;
                }
                ExpectScalarToken(ref reader, shape, memberName);
                if (reader.TokenType == JsonTokenType.String && ScalarText.TryParseBoolean(Text(ref reader, chars), out var b)) visitor.Boolean(b);
                else Malformed(ref reader, shape, chars);
                return;
            case ShapeType.Timestamp:
                ExpectScalarToken(ref reader, shape, memberName);
                DateTimeOffset t = default;
                var parsed = reader.TokenType switch
                {
                    JsonTokenType.Number => !reader.HasValueSequence && TimestampText.TryParseEpoch(reader.ValueSpan, out t),
                    JsonTokenType.String => TimestampText.TryParse(Text(ref reader, chars), out t),
                    _ => false,
                };
                if (parsed) visitor.Timestamp(t);
                else Malformed(ref reader, shape, chars);
                return;
            case ShapeType.Blob:
                ExpectScalarToken(ref reader, shape, memberName);
                if (reader.TokenType == JsonTokenType.String && reader.TryGetBytesFromBase64(out var bytes)) visitor.Blob(bytes);
                else Malformed(ref reader, shape, chars);
                return;
            default:
                Mismatch(ref reader, shape, memberName);
                return;
        }
    }

    private string ReadRecentString(ref Utf8JsonReader reader, RecentStrings strings)
    {
        if (reader.HasValueSequence || reader.ValueSpan.Length > _chars.Length) return reader.GetString() ?? "";
        Span<char> buffer = _chars;
        return strings.Get(buffer[..reader.CopyString(buffer)]);
    }

    /// <summary>A string or property name, reusing the enum's instance when there is one.</summary>
    private static string ReadString(ref Utf8JsonReader reader, Shape shape, scoped Span<char> buffer)
    {
        if (shape.EnumValues is { Count: > 0 } && !reader.HasValueSequence && reader.ValueSpan.Length <= buffer.Length)
        {
            var written = reader.CopyString(buffer);
            return StringCache.Get(shape, buffer[..written]);
        }
        return reader.GetString() ?? "";
    }

    /// <summary>The token's text (string content or number literal), in <paramref name="buffer"/> when it fits.</summary>
    private static ReadOnlySpan<char> Text(ref Utf8JsonReader reader, Span<char> buffer)
    {
        if (reader.TokenType == JsonTokenType.String)
        {
            var length = reader.HasValueSequence ? (int)reader.ValueSequence.Length : reader.ValueSpan.Length;
            if (length <= buffer.Length) return buffer[..reader.CopyString(buffer)];
            return reader.GetString();
        }
        var raw = reader.HasValueSequence ? reader.ValueSequence.ToArray() : reader.ValueSpan;
        if (raw.Length <= buffer.Length) return buffer[..Encoding.UTF8.GetChars(raw, buffer)];
        return Encoding.UTF8.GetString(raw);
    }

    /// <summary>An object or array where a scalar belongs is structural damage; a scalar token of the wrong kind or text is a malformed value.</summary>
    private void ExpectScalarToken(ref Utf8JsonReader reader, Shape shape, string memberName)
    {
        if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray) Mismatch(ref reader, shape, memberName);
    }

    private void Malformed(ref Utf8JsonReader reader, Shape shape, Span<char> chars) =>
        visitor.Malformed(shape, MalformedValue.Cut(Text(ref reader, chars)));

    private void Expect(ref Utf8JsonReader reader, JsonTokenType expected, Shape shape, string? memberName)
    {
        if (reader.TokenType != expected) Mismatch(ref reader, shape, memberName);
    }

    private void Mismatch(ref Utf8JsonReader reader, Shape shape, string? memberName)
    {
        var where = string.IsNullOrEmpty(memberName) ? "the output" : $"member '{memberName}'";
        ResponseProblem.Throw(operation, response,
            $"has JSON {Describe(reader.TokenType)} where {where} expects a {shape.Type.ToString().ToLowerInvariant()} (byte {reader.TokenStartIndex})");
    }

    private static string Describe(JsonTokenType token) => token switch
    {
        JsonTokenType.StartObject => "object",
        JsonTokenType.StartArray => "array",
        JsonTokenType.String => "string",
        JsonTokenType.Number => "number",
        JsonTokenType.True or JsonTokenType.False => "boolean",
        JsonTokenType.Null => "null",
        _ => token.ToString(),
    };
}
