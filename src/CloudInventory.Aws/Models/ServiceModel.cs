using System.Text.Json;

namespace CloudInventory.Aws.Models;

/// <summary>
/// One AWS service's API model: metadata, operations, shapes and paginators. Built from the
/// botocore/aws-sdk JSON model format, in its full form (named shapes) or the compact form
/// (shapes defined inline at the point of use), so the same parser serves the embedded bundle
/// and the conformance suites.
/// </summary>
public sealed class ServiceModel
{
    private readonly Dictionary<string, Operation> _operations = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Operation> _operationsIgnoreCase = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, Shape> _shapes = new(StringComparer.Ordinal);

    private ServiceModel(string name) => Name = name;

    /// <summary>The service's name in Cloud Inventory (the aws-sdk metadata key), e.g. <c>ec2</c>, <c>cloudwatchlogs</c>.</summary>
    public string Name { get; }

    /// <summary>The API version, e.g. <c>2016-11-15</c>.</summary>
    public string ApiVersion { get; private set; } = "";

    /// <summary>The wire protocol (the first of <c>metadata.protocols</c> when present).</summary>
    public AwsProtocol Protocol { get; private set; }

    /// <summary>The JSON protocol version (<c>1.0</c> or <c>1.1</c>).</summary>
    public string JsonVersion { get; private set; } = "1.0";

    /// <summary>The X-Amz-Target prefix of the JSON protocol.</summary>
    public string? TargetPrefix { get; private set; }

    /// <summary>The endpoint prefix, e.g. <c>monitoring</c> for CloudWatch.</summary>
    public string EndpointPrefix { get; private set; } = "";

    /// <summary>The SigV4 signing name (defaults to the endpoint prefix).</summary>
    public string SigningName { get; private set; } = "";

    /// <summary>The global endpoint host, for services such as IAM and CloudFront, or null.</summary>
    public string? GlobalEndpoint { get; private set; }

    /// <summary>The service ID, e.g. <c>EC2</c>.</summary>
    public string ServiceId { get; private set; } = "";

    /// <summary>The service's full name.</summary>
    public string FullName { get; private set; } = "";

    /// <summary>The XML namespace of query/rest-xml services.</summary>
    public string? XmlNamespace { get; private set; }

    /// <summary>The <c>awsQueryCompatible</c> trait of JSON services that moved from query.</summary>
    public bool AwsQueryCompatible { get; private set; }

    /// <summary>The operations, by exact name.</summary>
    public IReadOnlyDictionary<string, Operation> Operations => _operations;

    /// <summary>The named shapes.</summary>
    public IReadOnlyDictionary<string, Shape> Shapes => _shapes;

    /// <summary>Finds an operation by name, ignoring case; null when it does not exist.</summary>
    public Operation? FindOperation(string name) =>
        _operations.GetValueOrDefault(name) ?? _operationsIgnoreCase.GetValueOrDefault(name);

    /// <inheritdoc />
    public override string ToString() => $"{Name} ({ApiVersion}, {Protocol})";

    /// <summary>Parses a protocol name as used in model metadata.</summary>
    public static AwsProtocol ParseProtocol(string protocol) => protocol switch
    {
        "ec2" => AwsProtocol.Ec2,
        "query" => AwsProtocol.Query,
        "json" => AwsProtocol.Json,
        "rest-json" => AwsProtocol.RestJson,
        "rest-xml" => AwsProtocol.RestXml,
        _ => throw new AwsModelException($"unsupported protocol '{protocol}'"),
    };

    /// <summary>
    /// Builds a model from its JSON: <paramref name="api"/> holds <c>metadata</c>, <c>operations</c>
    /// and <c>shapes</c>; <paramref name="paginators"/> is the <c>pagination</c> object, if any.
    /// </summary>
    public static ServiceModel Parse(string name, JsonElement api, JsonElement? paginators = null)
    {
        var model = new ServiceModel(name);
        var builder = new Builder(model);
        if (api.TryGetProperty("metadata", out var md)) model.ReadMetadata(md);
        if (api.TryGetProperty("shapes", out var shapes)) builder.DeclareShapes(shapes);
        if (api.TryGetProperty("operations", out var ops))
        {
            foreach (var op in ops.EnumerateObject())
            {
                var operation = builder.ReadOperation(op.Name, op.Value);
                model._operations[op.Name] = operation;
                model._operationsIgnoreCase.TryAdd(op.Name, operation);
            }
        }
        if (paginators is { ValueKind: JsonValueKind.Object } pages)
        {
            foreach (var p in pages.EnumerateObject())
            {
                if (model._operations.TryGetValue(p.Name, out var operation)) operation.Paginator = ReadPaginator(p.Value);
            }
        }
        return model;
    }

    /// <summary>Adds an operation given in model JSON (used by the conformance suites, whose cases each carry one).</summary>
    public Operation AddOperation(string name, JsonElement definition)
    {
        var operation = new Builder(this).ReadOperation(name, definition);
        _operations[name] = operation;
        _operationsIgnoreCase[name] = operation;
        return operation;
    }

    private void ReadMetadata(JsonElement md)
    {
        ApiVersion = Str(md, "apiVersion") ?? "";
        var protocol = Str(md, "protocol") ?? "json";
        if (md.TryGetProperty("protocols", out var protocols) && protocols.ValueKind == JsonValueKind.Array && protocols.GetArrayLength() > 0)
        {
            protocol = protocols[0].GetString() ?? protocol;
        }
        Protocol = ParseProtocol(protocol);
        JsonVersion = Str(md, "jsonVersion") ?? "1.0";
        TargetPrefix = Str(md, "targetPrefix");
        EndpointPrefix = Str(md, "endpointPrefix") ?? Name;
        SigningName = Str(md, "signingName") ?? EndpointPrefix;
        GlobalEndpoint = Str(md, "globalEndpoint");
        ServiceId = Str(md, "serviceId") ?? Name;
        FullName = Str(md, "serviceFullName") ?? ServiceId;
        XmlNamespace = Str(md, "xmlNamespace");
        AwsQueryCompatible = md.TryGetProperty("awsQueryCompatible", out _);
    }

    private static Paginator ReadPaginator(JsonElement p)
    {
        static IReadOnlyList<string> List(JsonElement p, string key) =>
            !p.TryGetProperty(key, out var v) ? []
            : v.ValueKind == JsonValueKind.Array ? v.EnumerateArray().Select(e => e.GetString()!).ToArray()
            : [v.GetString()!];
        return new Paginator(List(p, "input_token"), List(p, "output_token"), List(p, "result_key"),
            Str(p, "limit_key"), Str(p, "more_results"), List(p, "non_aggregate_keys"));
    }

    internal static string? Str(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    private sealed class Builder(ServiceModel model)
    {
        private readonly Dictionary<string, JsonElement> _pending = new(StringComparer.Ordinal);

        public void DeclareShapes(JsonElement shapes)
        {
            foreach (var s in shapes.EnumerateObject())
            {
                model._shapes[s.Name] = new Shape(s.Name, ParseType(s.Value));
                _pending[s.Name] = s.Value;
            }
            foreach (var (name, json) in _pending) FillShape(model._shapes[name], json);
            _pending.Clear();
        }

        public Operation ReadOperation(string name, JsonElement op)
        {
            var operation = new Operation(model, name);
            if (op.TryGetProperty("http", out var http))
            {
                operation.HttpMethod = Str(http, "method") ?? "POST";
                operation.RequestUri = Str(http, "requestUri") ?? "/";
                if (http.TryGetProperty("responseCode", out var rc) && rc.ValueKind == JsonValueKind.Number) operation.ResponseCode = rc.GetInt32();
            }
            if (op.TryGetProperty("input", out var input)) operation.Input = ReadMember("", input);
            if (op.TryGetProperty("output", out var output)) operation.Output = ReadMember("", output);
            if (op.TryGetProperty("endpoint", out var ep)) operation.HostPrefix = Str(ep, "hostPrefix");
            operation.AuthType = Str(op, "authtype");
            operation.HttpChecksumRequired = op.TryGetProperty("httpChecksumRequired", out var hc) && hc.ValueKind == JsonValueKind.True;
            operation.Deprecated = op.TryGetProperty("deprecated", out var dep) && dep.ValueKind == JsonValueKind.True;
            return operation;
        }

        private Member ReadMember(string name, JsonElement json)
        {
            Shape shape;
            if (Str(json, "shape") is { } shapeName)
            {
                shape = model._shapes.GetValueOrDefault(shapeName)
                    ?? throw new AwsModelException($"{model.Name}: member '{name}' refers to unknown shape '{shapeName}'");
            }
            else
            {
                // Compact models define the shape inline; a bare {} is a string.
                shape = new Shape(null, ParseType(json));
                FillShape(shape, json);
            }
            var member = new Member(name, shape)
            {
                LocationName = Str(json, "locationName"),
                QueryName = Str(json, "queryName"),
                Location = Str(json, "location") switch
                {
                    null => MemberLocation.Body,
                    "uri" => MemberLocation.Uri,
                    "querystring" => MemberLocation.QueryString,
                    "header" => MemberLocation.Header,
                    "headers" => MemberLocation.Headers,
                    "statusCode" => MemberLocation.StatusCode,
                    var other => throw new AwsModelException($"{model.Name}: member '{name}' has unknown location '{other}'"),
                },
                XmlAttribute = Bool(json, "xmlAttribute"),
                XmlNamespaceTrait = ReadNamespace(json),
                TimestampFormatTrait = Str(json, "timestampFormat"),
                JsonValue = Bool(json, "jsonvalue"),
                IdempotencyToken = Bool(json, "idempotencyToken"),
                HostLabel = Bool(json, "hostLabel"),
                ResultWrapper = Str(json, "resultWrapper"),
                Deprecated = Bool(json, "deprecated"),
            };
            if (json.TryGetProperty("flattened", out var f) && f.ValueKind is JsonValueKind.True or JsonValueKind.False) member.FlattenedTrait = f.GetBoolean();
            return member;
        }

        private void FillShape(Shape shape, JsonElement json)
        {
            shape.Flattened = Bool(json, "flattened");
            shape.LocationName = Str(json, "locationName");
            shape.XmlNamespace = ReadNamespace(json);
            shape.TimestampFormat = Str(json, "timestampFormat");
            shape.Payload = Str(json, "payload");
            shape.Union = Bool(json, "union");
            shape.Sensitive = Bool(json, "sensitive");
            shape.Document = Bool(json, "document");
            shape.Streaming = Bool(json, "streaming");
            shape.EventStream = Bool(json, "eventstream");
            shape.Exception = Bool(json, "exception");
            if (json.TryGetProperty("min", out var min) && min.TryGetInt64(out var minValue)) shape.Min = minValue;
            if (json.TryGetProperty("max", out var max) && max.TryGetInt64(out var maxValue)) shape.Max = maxValue;
            if (json.TryGetProperty("enum", out var en) && en.ValueKind == JsonValueKind.Array)
            {
                shape.EnumValues = en.EnumerateArray().Select(v => v.GetString() ?? "").ToArray();
            }
            if (json.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.Object)
            {
                shape.ErrorCode = Str(error, "code");
                if (error.TryGetProperty("httpStatusCode", out var hs) && hs.TryGetInt32(out var status)) shape.ErrorHttpStatus = status;
            }
            switch (shape.Type)
            {
                case ShapeType.Structure when json.TryGetProperty("members", out var members):
                    var required = json.TryGetProperty("required", out var req) && req.ValueKind == JsonValueKind.Array
                        ? req.EnumerateArray().Select(r => r.GetString()!).ToHashSet(StringComparer.Ordinal)
                        : null;
                    var list = new List<Member>();
                    foreach (var m in members.EnumerateObject())
                    {
                        var member = ReadMember(m.Name, m.Value);
                        member.IsRequired = required?.Contains(m.Name) == true;
                        list.Add(member);
                    }
                    shape.Members = list;
                    break;
                case ShapeType.List:
                    shape.ListMember = json.TryGetProperty("member", out var lm) ? ReadMember("", lm)
                        : throw new AwsModelException($"{model.Name}: list shape '{shape.Name}' has no member");
                    break;
                case ShapeType.Map:
                    shape.MapKey = json.TryGetProperty("key", out var k) ? ReadMember("", k) : new Member("", new Shape(null, ShapeType.String));
                    shape.MapValue = json.TryGetProperty("value", out var v) ? ReadMember("", v)
                        : throw new AwsModelException($"{model.Name}: map shape '{shape.Name}' has no value");
                    break;
            }
        }

        private static XmlNamespace? ReadNamespace(JsonElement json)
        {
            if (!json.TryGetProperty("xmlNamespace", out var ns)) return null;
            return ns.ValueKind switch
            {
                JsonValueKind.String => new XmlNamespace(ns.GetString()!, null),
                JsonValueKind.Object => new XmlNamespace(Str(ns, "uri") ?? "", Str(ns, "prefix")),
                _ => null,
            };
        }

        private static bool Bool(JsonElement json, string name) =>
            json.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.True;

        private ShapeType ParseType(JsonElement json)
        {
            var type = Str(json, "type");
            if (type is null)
            {
                // Compact models omit the type of strings, and of structures/lists/maps when obvious.
                if (json.TryGetProperty("members", out _)) return ShapeType.Structure;
                if (json.TryGetProperty("member", out _)) return ShapeType.List;
                if (json.TryGetProperty("value", out _) && json.TryGetProperty("key", out _)) return ShapeType.Map;
                return ShapeType.String;
            }
            return type switch
            {
                "string" or "character" => ShapeType.String,
                "integer" or "short" or "byte" => ShapeType.Integer,
                "long" or "biginteger" or "bigInteger" => ShapeType.Long,
                "float" => ShapeType.Float,
                "double" or "bigdecimal" or "bigDecimal" => ShapeType.Double,
                "boolean" => ShapeType.Boolean,
                "timestamp" => ShapeType.Timestamp,
                "blob" => ShapeType.Blob,
                "structure" => ShapeType.Structure,
                "list" => ShapeType.List,
                "map" => ShapeType.Map,
                _ => throw new AwsModelException($"{model.Name}: unknown shape type '{type}'"),
            };
        }
    }
}
