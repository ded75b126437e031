using System.Text.Json;

namespace CloudInventory.Tests.Azure;

/// <summary>
/// An Azure REST specification (Swagger 2.0, from ../shared/conformance/azure-arm): finds the operation a request
/// is for and checks the request against it — path template, method, api-version, query parameters and the
/// body against its JSON schema (types, required members, enums, ranges, no undeclared members).
/// </summary>
internal sealed class RestSpecification
{
    private readonly JsonElement _root;

    private RestSpecification(string path, JsonElement root)
    {
        Path = path;
        _root = root;
    }

    public string Path { get; }

    public string ApiVersion => _root.GetProperty("info").GetProperty("version").GetString()!;

    public static RestSpecification Load(string relativePath)
    {
        var path = System.IO.Path.Combine(RepositoryRoot.Conformance("azure-arm"), "specification", relativePath);
        using var doc = JsonDocument.Parse(File.ReadAllBytes(path));
        return new RestSpecification(path, doc.RootElement.Clone());
    }

    /// <summary>The problems of a request against this specification; empty when it conforms.</summary>
    /// <param name="followsNextLink">The request follows a nextLink (opaque to the spec): extra query parameters are the server's own.</param>
    public IReadOnlyList<string> Check(string method, string target, byte[] body, bool followsNextLink)
    {
        var problems = new List<string>();
        var q = target.IndexOf('?', StringComparison.Ordinal);
        var path = Uri.UnescapeDataString(q < 0 ? target : target[..q]);
        var query = (q < 0 ? "" : target[(q + 1)..]).Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Select(p => p.Split('=', 2)).ToDictionary(p => Uri.UnescapeDataString(p[0]), p => p.Length > 1 ? Uri.UnescapeDataString(p[1]) : "");
        var operation = _root.GetProperty("paths").EnumerateObject()
            .Where(p => Matches(p.Name, path))
            .Select(p => p.Value.TryGetProperty(method.ToLowerInvariant(), out var op) ? op : (JsonElement?)null)
            .FirstOrDefault(op => op is not null);
        if (operation is not { } op) return [$"{method} {path} is not an operation of {System.IO.Path.GetFileName(Path)}"];

        var parameters = op.GetProperty("parameters").EnumerateArray().Select(Resolve).ToList();
        foreach (var p in parameters.Where(p => p.GetProperty("in").GetString() == "query"))
        {
            var name = p.GetProperty("name").GetString()!;
            if (p.TryGetProperty("required", out var r) && r.GetBoolean() && !query.ContainsKey(name)) problems.Add($"required query parameter {name} is missing");
        }
        foreach (var name in query.Keys)
        {
            if (!parameters.Any(p => p.GetProperty("in").GetString() == "query" && p.GetProperty("name").GetString() == name) && !followsNextLink)
            {
                problems.Add($"query parameter {name} is not declared");
            }
        }
        if (query.GetValueOrDefault("api-version") != ApiVersion) problems.Add($"api-version is '{query.GetValueOrDefault("api-version")}', the spec is {ApiVersion}");
        var bodyParameter = parameters.FirstOrDefault(p => p.GetProperty("in").GetString() == "body");
        if (bodyParameter.ValueKind == JsonValueKind.Object)
        {
            if (body.Length == 0)
            {
                problems.Add("the body is missing");
            }
            else
            {
                using var doc = JsonDocument.Parse(body);
                Validate(bodyParameter.GetProperty("schema"), doc.RootElement, "$", problems);
            }
        }
        else if (body.Length > 0)
        {
            problems.Add("a body was sent to an operation without one");
        }
        return problems;
    }

    /// <summary>Checks a value against a schema of this specification.</summary>
    public void Validate(JsonElement schema, JsonElement value, string at, List<string> problems)
    {
        schema = Resolve(schema);
        var type = schema.TryGetProperty("type", out var t) ? t.GetString() : schema.TryGetProperty("properties", out _) ? "object" : null;
        switch (type)
        {
            case "object":
                if (value.ValueKind != JsonValueKind.Object)
                {
                    problems.Add($"{at} is {value.ValueKind}, the spec says object");
                    return;
                }
                var properties = schema.TryGetProperty("properties", out var ps) ? ps : default;
                if (schema.TryGetProperty("required", out var required))
                {
                    foreach (var name in required.EnumerateArray().Select(r => r.GetString()!))
                    {
                        if (!value.TryGetProperty(name, out _)) problems.Add($"{at}.{name} is required");
                    }
                }
                foreach (var member in value.EnumerateObject())
                {
                    if (properties.ValueKind == JsonValueKind.Object && properties.TryGetProperty(member.Name, out var memberSchema))
                    {
                        Validate(memberSchema, member.Value, $"{at}.{member.Name}", problems);
                    }
                    else
                    {
                        problems.Add($"{at}.{member.Name} is not declared by the spec");
                    }
                }
                break;
            case "array":
                if (value.ValueKind != JsonValueKind.Array)
                {
                    problems.Add($"{at} is {value.ValueKind}, the spec says array");
                    return;
                }
                var i = 0;
                foreach (var item in value.EnumerateArray()) Validate(schema.GetProperty("items"), item, $"{at}[{i++}]", problems);
                break;
            case "string":
                if (value.ValueKind != JsonValueKind.String) problems.Add($"{at} is {value.ValueKind}, the spec says string");
                else if (schema.TryGetProperty("enum", out var values) && !values.EnumerateArray().Any(v => v.GetString() == value.GetString()))
                {
                    problems.Add($"{at} '{value.GetString()}' is not one of the spec's values");
                }
                break;
            case "integer":
                if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt64(out var n)) problems.Add($"{at} is not an integer");
                else
                {
                    if (schema.TryGetProperty("minimum", out var min) && n < min.GetInt64()) problems.Add($"{at} {n} is below {min}");
                    if (schema.TryGetProperty("maximum", out var max) && n > max.GetInt64()) problems.Add($"{at} {n} is above {max}");
                }
                break;
            case "boolean":
                if (value.ValueKind is not (JsonValueKind.True or JsonValueKind.False)) problems.Add($"{at} is not a boolean");
                break;
        }
    }

    private JsonElement Resolve(JsonElement element)
    {
        while (element.TryGetProperty("$ref", out var reference))
        {
            var text = reference.GetString()!;
            if (!text.StartsWith("#/", StringComparison.Ordinal)) throw new InvalidOperationException($"{text}: only references inside {Path} are resolved");
            element = text[2..].Split('/').Aggregate(_root, (e, part) => e.GetProperty(part));
        }
        return element;
    }

    private static bool Matches(string template, string path)
    {
        var a = template.Trim('/').Split('/');
        var b = path.Trim('/').Split('/');
        return a.Length == b.Length && a.Zip(b).All(p => p.First.StartsWith('{') || string.Equals(p.First, p.Second, StringComparison.OrdinalIgnoreCase));
    }
}
