using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Xml.Linq;
using CloudInventory.Aws.Models;

namespace CloudInventory.Simulator.Protocols;

/// <summary>
/// Turns an HTTP request into (operation, input) for the simulator: the server side of the request
/// serializers. Inputs are value trees keyed by model member names, whatever the wire names.
/// </summary>
internal static class RequestParser
{
    /// <summary>Reads the input of <paramref name="operation"/> from the request.</summary>
    public static JsonObject ParseInput(Operation operation, SimulatedRequest request, IReadOnlyDictionary<string, string>? uriLabels = null)
    {
        var shape = operation.Input?.Shape;
        if (shape is null) return [];
        switch (operation.Service.Protocol)
        {
            case AwsProtocol.Ec2:
            case AwsProtocol.Query:
                var form = FormParameters(request);
                return (JsonObject?)ReadQueryStructure("", shape, form, operation.Service.Protocol == AwsProtocol.Ec2) ?? [];
            case AwsProtocol.Json:
                return request.Body.Length == 0 ? [] : (JsonObject)FromJson(shape, JsonNode.Parse(request.Body)!, restJson: false)!;
            default:
                return ReadRest(operation, shape, request, uriLabels ?? new Dictionary<string, string>());
        }
    }

    /// <summary>The form parameters of a query/ec2 request (body, or query string for GET).</summary>
    public static Dictionary<string, string> FormParameters(SimulatedRequest request)
    {
        var pairs = request.Body.Length > 0
            ? SimulatedRequest.ParseQueryString(Encoding.UTF8.GetString(request.Body))
            : request.Query.ToList();
        var dict = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (k, v) in pairs) dict[k] = v;
        return dict;
    }

    // ---- query / ec2 ----

    private static JsonNode? ReadQueryStructure(string prefix, Shape shape, Dictionary<string, string> form, bool ec2)
    {
        JsonObject? obj = null;
        foreach (var member in shape.Members)
        {
            var name = ec2 ? member.QueryName ?? Capitalize(member.LocationName) ?? member.Name : member.LocationName ?? member.Name;
            var value = ReadQueryValue(prefix.Length == 0 ? name : prefix + "." + name, member, form, ec2);
            if (value is null) continue;
            obj ??= [];
            obj[member.Name] = value;
        }
        return obj;
    }

    private static JsonNode? ReadQueryValue(string key, Member member, Dictionary<string, string> form, bool ec2)
    {
        var shape = member.Shape;
        switch (shape.Type)
        {
            case ShapeType.Structure:
                return ReadQueryStructure(key, shape, form, ec2);
            case ShapeType.List:
                if (form.TryGetValue(key, out var empty) && empty.Length == 0) return new JsonArray();
                var item = shape.ListMember!;
                string itemPrefix;
                if (ec2 || member.Flattened)
                {
                    itemPrefix = key;
                    if (!ec2 && item.LocationName is { } flatName)
                        itemPrefix = key.Contains('.', StringComparison.Ordinal) ? key[..(key.LastIndexOf('.') + 1)] + flatName : flatName;
                }
                else
                {
                    itemPrefix = key + "." + (item.LocationName ?? "member");
                }
                var array = new JsonArray();
                for (var i = 1; ; i++)
                {
                    var v = ReadQueryValue(itemPrefix + "." + i.ToString(CultureInfo.InvariantCulture), item, form, ec2);
                    if (v is null) break;
                    array.Add(v);
                }
                return array.Count == 0 ? null : array;
            case ShapeType.Map:
                var entryPrefix = member.Flattened ? key : key + ".entry";
                var keyName = shape.MapKey!.LocationName ?? "key";
                var valueName = shape.MapValue!.LocationName ?? "value";
                var map = new JsonObject();
                for (var i = 1; ; i++)
                {
                    var p = entryPrefix + "." + i.ToString(CultureInfo.InvariantCulture);
                    if (!form.TryGetValue(p + "." + keyName, out var k)) break;
                    map[k] = ReadQueryValue(p + "." + valueName, shape.MapValue, form, ec2);
                }
                return map.Count == 0 ? null : map;
            default:
                return form.TryGetValue(key, out var text) ? Scalar(member, text) : null;
        }
    }

    private static string? Capitalize(string? s) => string.IsNullOrEmpty(s) ? s : char.ToUpperInvariant(s[0]) + s[1..];

    private static JsonNode? Scalar(Member member, string text) => member.Shape.Type switch
    {
        ShapeType.Integer or ShapeType.Long => long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var l) ? JsonValue.Create(l) : JsonValue.Create(text),
        ShapeType.Float or ShapeType.Double => double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) ? JsonValue.Create(d) : JsonValue.Create(text),
        ShapeType.Boolean => bool.TryParse(text, out var b) ? JsonValue.Create(b) : JsonValue.Create(text),
        _ => JsonValue.Create(text),
    };

    // ---- json / rest-json bodies: wire names → member names ----

    private static JsonNode? FromJson(Shape shape, JsonNode node, bool restJson)
    {
        switch (shape.Type)
        {
            case ShapeType.Structure when !shape.Document && node is JsonObject o:
                var result = new JsonObject();
                foreach (var member in shape.Members)
                {
                    if (member.Location != MemberLocation.Body) continue;
                    var wire = restJson ? member.WireName : member.Name;
                    if (o.TryGetPropertyValue(wire, out var v) && v is not null) result[member.Name] = FromJson(member.Shape, v, restJson);
                }
                return result;
            case ShapeType.List when node is JsonArray a:
                return new JsonArray(a.Select(e => e is null ? null : FromJson(shape.ListMember!.Shape, e, restJson)).ToArray());
            case ShapeType.Map when node is JsonObject m:
                var map = new JsonObject();
                foreach (var (k, v) in m) map[k] = v is null ? null : FromJson(shape.MapValue!.Shape, v, restJson);
                return map;
            default:
                return node.DeepClone();
        }
    }

    // ---- rest-json / rest-xml ----

    private static JsonObject ReadRest(Operation operation, Shape shape, SimulatedRequest request, IReadOnlyDictionary<string, string> labels)
    {
        var input = new JsonObject();
        foreach (var member in shape.Members)
        {
            switch (member.Location)
            {
                case MemberLocation.Uri:
                    if (labels.TryGetValue(member.WireName, out var label)) input[member.Name] = Scalar(member, label);
                    break;
                case MemberLocation.QueryString:
                    if (member.Shape.Type == ShapeType.List)
                    {
                        var values = request.Query.Where(q => q.Key == member.WireName).Select(q => Scalar(member.Shape.ListMember!, q.Value)).ToArray();
                        if (values.Length > 0) input[member.Name] = new JsonArray(values);
                    }
                    else if (member.Shape.Type == ShapeType.Map)
                    {
                        var map = new JsonObject();
                        foreach (var (k, v) in request.Query) if (shape.Members.All(m => m.Location != MemberLocation.QueryString || m.WireName != k)) map[k] = v;
                        if (map.Count > 0) input[member.Name] = map;
                    }
                    else if (request.Query.LastOrDefault(q => q.Key == member.WireName) is { Key: not null } q)
                    {
                        input[member.Name] = Scalar(member, q.Value);
                    }
                    break;
                case MemberLocation.Header:
                    if (request.Headers.TryGetValue(member.WireName, out var h)) input[member.Name] = Scalar(member, h);
                    break;
            }
        }
        if (request.Body.Length > 0)
        {
            if (shape.Payload is { } payloadName)
            {
                var payload = shape.FindMember(payloadName)!;
                input[payload.Name] = payload.Shape.Type switch
                {
                    ShapeType.Blob or ShapeType.String => JsonValue.Create(Encoding.UTF8.GetString(request.Body)),
                    _ when operation.Service.Protocol == AwsProtocol.RestJson => FromJson(payload.Shape, JsonNode.Parse(request.Body)!, true),
                    _ => FromXml(payload.Shape, XElement.Parse(Encoding.UTF8.GetString(request.Body))),
                };
            }
            else if (operation.Service.Protocol == AwsProtocol.RestJson)
            {
                if (FromJson(shape, JsonNode.Parse(request.Body)!, true) is JsonObject body)
                    foreach (var (k, v) in body) input[k] = v?.DeepClone();
            }
            else if (FromXml(shape, XElement.Parse(Encoding.UTF8.GetString(request.Body))) is JsonObject body)
            {
                foreach (var (k, v) in body) input[k] = v?.DeepClone();
            }
        }
        return input;
    }

    private static JsonNode? FromXml(Shape shape, XElement element)
    {
        switch (shape.Type)
        {
            case ShapeType.Structure:
                var obj = new JsonObject();
                foreach (var member in shape.Members)
                {
                    if (member.Location != MemberLocation.Body) continue;
                    if (member.XmlAttribute)
                    {
                        var attr = element.Attributes().FirstOrDefault(a => a.Name.LocalName == member.WireName || a.Name.ToString() == member.WireName);
                        if (attr is not null) obj[member.Name] = Scalar(member, attr.Value);
                        continue;
                    }
                    if (member.Shape.Type == ShapeType.List && member.Flattened)
                    {
                        var name = member.Shape.ListMember!.LocationName ?? member.WireName;
                        var items = element.Elements().Where(e => e.Name.LocalName == name).Select(e => FromXml(member.Shape.ListMember.Shape, e)).ToArray();
                        if (items.Length > 0) obj[member.Name] = new JsonArray(items);
                        continue;
                    }
                    var child = element.Elements().FirstOrDefault(e => e.Name.LocalName == member.WireName);
                    if (child is not null) obj[member.Name] = FromXml(member.Shape, child);
                }
                return obj;
            case ShapeType.List:
                var itemName = shape.ListMember!.LocationName ?? "member";
                return new JsonArray(element.Elements().Where(e => e.Name.LocalName == itemName).Select(e => FromXml(shape.ListMember.Shape, e)).ToArray());
            case ShapeType.Map:
                var map = new JsonObject();
                var keyName = shape.MapKey!.LocationName ?? "key";
                var valueName = shape.MapValue!.LocationName ?? "value";
                foreach (var entry in element.Elements())
                {
                    var k = entry.Elements().FirstOrDefault(e => e.Name.LocalName == keyName)?.Value;
                    var v = entry.Elements().FirstOrDefault(e => e.Name.LocalName == valueName);
                    if (k is not null && v is not null) map[k] = FromXml(shape.MapValue.Shape, v);
                }
                return map;
            default:
                return shape.Type switch
                {
                    ShapeType.Integer or ShapeType.Long => long.TryParse(element.Value, CultureInfo.InvariantCulture, out var l) ? JsonValue.Create(l) : JsonValue.Create(element.Value),
                    ShapeType.Boolean => bool.TryParse(element.Value, out var b) ? JsonValue.Create(b) : JsonValue.Create(element.Value),
                    _ => JsonValue.Create(element.Value),
                };
        }
    }
}
