using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using CloudInventory.Aws.Models;

namespace CloudInventory.Aws.Protocols.Serialization;

/// <summary>
/// The rest-json and rest-xml protocols: method and URI template from the operation, members
/// bound to URI labels, query parameters and headers, and the rest sent as a JSON or XML body
/// (or the <c>payload</c> member as the whole body).
/// </summary>
internal sealed class RestRequestWriter(SerializationContext ctx, bool xml)
{
    public void Write(AwsHttpRequest request, List<BoundMember> input)
    {
        var operation = ctx.Operation;
        request.Method = operation.HttpMethod;
        var template = operation.RequestUri;
        var q = template.IndexOf('?', StringComparison.Ordinal);
        var pathTemplate = q < 0 ? template : template[..q];
        request.Path = ExpandPath(pathTemplate, input);
        if (q >= 0) AddStaticQuery(request, template[(q + 1)..]);
        AddQueryMembers(request, input);
        AddHeaderMembers(request, input);
        WriteBody(request, input);
        if (operation.HttpChecksumRequired && request.Body.Length > 0 && !request.Headers.ContainsKey("Content-MD5"))
        {
            request.Headers["Content-MD5"] = Convert.ToBase64String(MD5.HashData(request.Body));
        }
    }

    private string ExpandPath(string template, List<BoundMember> input)
    {
        var sb = new StringBuilder(template.Length + 32);
        var i = 0;
        while (i < template.Length)
        {
            var open = template.IndexOf('{', i);
            if (open < 0) { sb.Append(template, i, template.Length - i); break; }
            var close = template.IndexOf('}', open);
            if (close < 0) throw ctx.Error($"malformed request URI template '{template}'");
            sb.Append(template, i, open - i);
            var label = template[(open + 1)..close];
            var greedy = label.EndsWith('+');
            if (greedy) label = label[..^1];
            sb.Append(LabelValue(label, greedy, input));
            i = close + 1;
        }
        return sb.ToString();
    }

    private string LabelValue(string label, bool greedy, List<BoundMember> input)
    {
        foreach (var b in input)
        {
            if (b.Member.Location != MemberLocation.Uri || (b.Member.LocationName ?? b.Member.Name) != label) continue;
            var text = ScalarText.Format(ctx, b.Member, b.Value, b.Path, ScalarText.Iso8601);
            if (text.Length == 0) throw ctx.ParameterError(b.Path, $"must not be empty (it fills the URI label {{{label}}})");
            return UriEncoding.Encode(text, keepSlash: greedy);
        }
        var member = ctx.Operation.Input?.Shape.Members.FirstOrDefault(m => m.Location == MemberLocation.Uri && (m.LocationName ?? m.Name) == label);
        throw member is null
            ? ctx.Error($"the request URI label {{{label}}} has no input member")
            : ctx.Error($"missing required parameter '{member.Name}' (it fills the URI label {{{label}}})");
    }

    private static void AddStaticQuery(AwsHttpRequest request, string query)
    {
        foreach (var part in query.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = part.IndexOf('=', StringComparison.Ordinal);
            request.Query.Add(eq < 0 ? new(Uri.UnescapeDataString(part), null) : new(Uri.UnescapeDataString(part[..eq]), Uri.UnescapeDataString(part[(eq + 1)..])));
        }
    }

    private void AddQueryMembers(AwsHttpRequest request, List<BoundMember> input)
    {
        // Named parameters first; map members then add only keys not already present (named ones take precedence).
        foreach (var b in input)
        {
            if (b.Member.Location != MemberLocation.QueryString || b.Member.Shape.Type == ShapeType.Map) continue;
            var name = b.Member.LocationName ?? b.Member.Name;
            if (b.Member.Shape.Type == ShapeType.List)
            {
                var list = InputValues.List(ctx, b.Value, b.Path);
                var item = b.Member.Shape.ListMember!;
                for (var i = 0; i < list.Count; i++)
                {
                    if (list[i] is { } element) request.Query.Add(new(name, ScalarText.Format(ctx, item, element, SerializationContext.Index(b.Path, i), ScalarText.Iso8601)));
                }
            }
            else
            {
                request.Query.Add(new(name, ScalarText.Format(ctx, b.Member, b.Value, b.Path, ScalarText.Iso8601)));
            }
        }
        var taken = request.Query.Select(p => p.Key).ToHashSet(StringComparer.Ordinal);
        foreach (var b in input)
        {
            if (b.Member.Location != MemberLocation.QueryString || b.Member.Shape.Type != ShapeType.Map) continue;
            var valueRef = b.Member.Shape.MapValue!;
            foreach (var (key, value) in InputValues.Map(ctx, b.Value, b.Path))
            {
                if (value is null || taken.Contains(key)) continue;
                var path = SerializationContext.Key(b.Path, key);
                if (valueRef.Shape.Type == ShapeType.List)
                {
                    var list = InputValues.List(ctx, value, path);
                    for (var i = 0; i < list.Count; i++)
                    {
                        if (list[i] is { } element) request.Query.Add(new(key, ScalarText.Format(ctx, valueRef.Shape.ListMember!, element, SerializationContext.Index(path, i), ScalarText.Iso8601)));
                    }
                }
                else
                {
                    request.Query.Add(new(key, ScalarText.Format(ctx, valueRef, value, path, ScalarText.Iso8601)));
                }
            }
        }
    }

    private void AddHeaderMembers(AwsHttpRequest request, List<BoundMember> input)
    {
        foreach (var b in input)
        {
            var member = b.Member;
            if (member.Location == MemberLocation.Header)
            {
                var name = member.LocationName ?? member.Name;
                request.Headers[name] = CheckHeader(name, HeaderValue(member, b.Value, b.Path), b.Path);
            }
            else if (member.Location == MemberLocation.Headers)
            {
                var prefix = member.LocationName ?? "";
                foreach (var (key, value) in InputValues.Map(ctx, b.Value, b.Path))
                {
                    if (value is null) continue;
                    var path = SerializationContext.Key(b.Path, key);
                    var name = CheckHeader(prefix + key, prefix + key, path);
                    request.Headers[name] = CheckHeader(name, HeaderValue(member.Shape.MapValue!, value, path), path);
                }
            }
        }
    }

    /// <summary>Header names and values must not break the header block.</summary>
    private string CheckHeader(string name, string text, string path)
    {
        if (text.AsSpan().IndexOfAny('\r', '\n', '\0') >= 0) throw ctx.ParameterError(path, $"must not contain line breaks (it travels in the header '{name.ReplaceLineEndings(" ")}')");
        return text;
    }

    private string HeaderValue(Member member, JsonNode node, string path)
    {
        var shape = member.Shape;
        if (shape.Type == ShapeType.String && member.JsonValue) return Convert.ToBase64String(JsonBodyWriter.JsonValueBytes(node));
        if (shape.Type != ShapeType.List) return ScalarText.Format(ctx, member, node, path, ScalarText.Rfc822);
        // A list travels as one comma-separated header; strings holding a comma or quote are quoted.
        var list = InputValues.List(ctx, node, path);
        var item = shape.ListMember!;
        var parts = new List<string>(list.Count);
        for (var i = 0; i < list.Count; i++)
        {
            if (list[i] is not { } element) continue;
            var text = ScalarText.Format(ctx, item, element, SerializationContext.Index(path, i), ScalarText.Rfc822);
            if (item.Shape.Type == ShapeType.String && text.AsSpan().IndexOfAny(',', '"') >= 0)
            {
                text = "\"" + text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";
            }
            parts.Add(text);
        }
        return string.Join(", ", parts);
    }

    private void WriteBody(AwsHttpRequest request, List<BoundMember> input)
    {
        var inputRef = ctx.Operation.Input;
        if (inputRef is null) return;
        var shape = inputRef.Shape;
        if (shape.Payload is { } payloadName)
        {
            var payload = shape.FindMember(payloadName) ?? throw ctx.Error($"payload member '{payloadName}' is not in the input shape");
            var bound = input.FindIndex(b => ReferenceEquals(b.Member, payload));
            if (bound >= 0) WritePayload(request, payload, input[bound]);
            else if (!xml && payload.Shape is { Type: ShapeType.Structure, Union: false, Document: false })
            {
                // rest-json sends an unset structure payload as an empty object (but an unset union as nothing).
                SetBody(request, "{}"u8.ToArray(), "application/json");
            }
            return;
        }
        var bodyMembers = input.Where(b => b.Member.Location == MemberLocation.Body).ToList();
        if (bodyMembers.Count > 0)
        {
            if (xml)
            {
                var root = inputRef.LocationName ?? shape.LocationName ?? shape.Name ?? ctx.Operation.Name + "Request";
                SetBody(request, new XmlBodyWriter(ctx).WriteRoot(root, inputRef, bodyMembers), "application/xml");
            }
            else
            {
                SetBody(request, new JsonBodyWriter(ctx).WriteObject(bodyMembers), "application/json");
            }
        }
        else if (!xml && shape.Members.Any(m => m.Location == MemberLocation.Body))
        {
            // rest-json sends an empty object whenever the input has body members, even if none is set.
            SetBody(request, "{}"u8.ToArray(), "application/json");
        }
    }

    private void WritePayload(AwsHttpRequest request, Member payload, BoundMember value)
    {
        var shape = payload.Shape;
        switch (shape.Type)
        {
            case ShapeType.Blob:
                SetBody(request, InputValues.Blob(ctx, value.Value, value.Path), "application/octet-stream");
                break;
            case ShapeType.String:
                SetBody(request, Encoding.UTF8.GetBytes(InputValues.String(ctx, value.Value, value.Path)), "text/plain");
                break;
            case ShapeType.Structure when xml:
                // The payload's element: the member's locationName, else the shape's (botocore's rule).
                var name = payload.LocationName ?? shape.LocationName ?? shape.Name ?? payload.Name;
                SetBody(request, new XmlBodyWriter(ctx).WriteDocument(name, payload, value.Value, value.Path), "application/xml");
                break;
            default:
                if (xml) throw ctx.ParameterError(value.Path, $"is a {shape.Type.ToString().ToLowerInvariant()} payload, which rest-xml cannot send");
                SetBody(request, new JsonBodyWriter(ctx).WriteDocument(payload, value.Value, value.Path), "application/json");
                break;
        }
    }

    private static void SetBody(AwsHttpRequest request, byte[] body, string contentType)
    {
        request.Body = body;
        request.Headers.TryAdd("Content-Type", contentType);
    }
}
