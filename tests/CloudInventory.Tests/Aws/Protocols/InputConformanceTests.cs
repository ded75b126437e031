using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Xml.Linq;
using CloudInventory.Aws.Models;
using CloudInventory.Aws.Protocols;
using Xunit.Abstractions;

namespace CloudInventory.Tests.Aws.Protocols;

/// <summary>
/// Runs every input (request serialization) case of AWS's protocol conformance suites, as
/// botocore ships them, against <see cref="AwsRequestSerializer"/>. Cases botocore itself skips
/// (protocol-tests-ignore-list.json) are run too but only reported; the explicit skip list below
/// holds our own further skips, each with its reason.
/// </summary>
public class InputConformanceTests(ITestOutputHelper output)
{
    /// <summary>
    /// Cases we skip beyond botocore's ignore list: case id → reason. Only features a read-only
    /// inventory client never needs belong here.
    /// </summary>
    private static readonly Dictionary<string, string> s_skips = new(StringComparer.Ordinal)
    {
        // Currently empty: every case outside botocore's ignore list passes. The request
        // compression suites (SDKAppliedContentEncoding_*, gzip bodies) would belong here, but
        // botocore's ignore list already skips them ("Test cases for PutWithContentEncoding operation").
    };

    private static readonly AwsSerializerOptions s_options = new()
    {
        IdempotencyTokenGenerator = static () => "00000000-0000-4000-8000-000000000000",
    };

    [Theory]
    [InlineData("ec2")]
    [InlineData("query")]
    [InlineData("json")]
    [InlineData("json_1_0")]
    [InlineData("rest-json")]
    [InlineData("rest-xml")]
    public void Serializes_every_input_case_like_botocore(string file)
    {
        var dir = RepositoryRoot.Conformance("aws-protocols");
        using var suites = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "input", file + ".json")));
        using var ignoreDoc = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "protocol-tests-ignore-list.json")));
        var ignore = IgnoreList.Read(ignoreDoc.RootElement, file);

        int passed = 0, skipped = 0, ignored = 0, ignoredPassing = 0;
        var failures = new List<string>();
        var suiteIndex = 0;
        foreach (var suite in suites.RootElement.EnumerateArray())
        {
            var description = suite.GetProperty("description").GetString()!;
            var model = ServiceModel.Parse($"{file}-{suiteIndex++}", ModelJson(suite));
            var endpoint = suite.TryGetProperty("clientEndpoint", out var ce) ? ce.GetString()! : "https://example.com";
            var caseIndex = 0;
            foreach (var c in suite.GetProperty("cases").EnumerateArray())
            {
                var id = c.TryGetProperty("id", out var idEl) ? idEl.GetString()! : $"{description}#{caseIndex}";
                caseIndex++;
                if (s_skips.TryGetValue(id, out var reason))
                {
                    skipped++;
                    output.WriteLine($"  skip {id}: {reason}");
                    continue;
                }
                var problems = Run(model, c, endpoint);
                if (ignore.Contains(description, id))
                {
                    ignored++;
                    if (problems.Count == 0) ignoredPassing++;
                    else output.WriteLine($"  ignored by botocore, differs: {id}: {string.Join("; ", problems)}");
                    continue;
                }
                if (problems.Count == 0) passed++;
                else failures.Add($"{id}: {string.Join("; ", problems)}");
            }
        }

        var summary = $"{file}: {passed} passed, {failures.Count} failed, {skipped} skipped, " +
                      $"{ignored} in botocore's ignore list ({ignoredPassing} of them pass anyway)";
        output.WriteLine(summary);
        Console.WriteLine(summary);
        foreach (var f in failures)
        {
            output.WriteLine("  FAIL " + f);
            Console.WriteLine("  FAIL " + f);
        }
        Assert.True(failures.Count == 0, $"{failures.Count} failing case(s) in {file}.json: {string.Join(", ", failures.Select(f => f[..f.IndexOf(':', StringComparison.Ordinal)]))}");
        Assert.True(passed > 0);
    }

    private static List<string> Run(ServiceModel model, JsonElement c, string endpoint)
    {
        var problems = new List<string>();
        var given = c.GetProperty("given");
        var expected = c.GetProperty("serialized");
        var protocol = model.Protocol;
        AwsHttpRequest request;
        try
        {
            var operation = model.AddOperation(given.GetProperty("name").GetString()!, given);
            var input = JsonNode.Parse(c.GetProperty("params").GetRawText()) as JsonObject;
            request = AwsRequestSerializer.Serialize(operation, input, s_options);
        }
        catch (Exception e) when (e is AwsRequestException or AwsModelException or InvalidOperationException or FormatException)
        {
            problems.Add($"threw {e.GetType().Name}: {e.Message}");
            return problems;
        }

        if (expected.TryGetProperty("method", out var method) && method.GetString() != request.Method)
        {
            problems.Add($"method {request.Method} != {method.GetString()}");
        }
        if (expected.TryGetProperty("uri", out var uri) && uri.GetString() != request.PathAndQuery)
        {
            problems.Add($"uri {request.PathAndQuery} != {uri.GetString()}");
        }
        if (expected.TryGetProperty("headers", out var headers))
        {
            foreach (var h in headers.EnumerateObject())
            {
                var want = h.Value.GetString()!;
                // botocore sends "application/x-www-form-urlencoded; charset=utf-8" for query/ec2
                // and compares against the expected type with that charset added, as we do.
                if (protocol is AwsProtocol.Query or AwsProtocol.Ec2 && h.Name.Equals("Content-Type", StringComparison.OrdinalIgnoreCase)
                    && !want.Contains("charset=utf-8", StringComparison.Ordinal))
                {
                    want += "; charset=utf-8";
                }
                if (!request.Headers.TryGetValue(h.Name, out var got)) problems.Add($"header {h.Name} missing (want '{want}')");
                else if (got != want) problems.Add($"header {h.Name} '{got}' != '{want}'");
            }
        }
        if (expected.TryGetProperty("forbidHeaders", out var forbid))
        {
            foreach (var h in forbid.EnumerateArray())
            {
                if (request.Headers.ContainsKey(h.GetString()!)) problems.Add($"header {h.GetString()} must be absent");
            }
        }
        // "requireHeaders" lists only Content-Length, which the HTTP transport sets, not the serializer.
        if (expected.TryGetProperty("body", out var bodyEl))
        {
            var want = bodyEl.GetString()!;
            var got = Encoding.UTF8.GetString(request.Body);
            var same = protocol switch
            {
                AwsProtocol.Json => JsonEquivalent(got, want),
                AwsProtocol.RestJson => TryParseJson(want) is not null ? JsonEquivalent(got, want) : got == want,
                AwsProtocol.RestXml => TryParseXml(want) is not null ? XmlEquivalent(got, want) : got == want,
                _ => got == want,
            };
            if (!same) problems.Add($"body {Show(got)} != {Show(want)}");
        }
        if (expected.TryGetProperty("host", out var host))
        {
            var got = (request.HostPrefix ?? "") + new Uri(endpoint).Authority;
            if (got != host.GetString()) problems.Add($"host {got} != {host.GetString()}");
        }
        return problems;
    }

    private static string Show(string body) => body.Length == 0 ? "(empty)" : body.Replace("\n", "\\n", StringComparison.Ordinal);

    private static JsonElement ModelJson(JsonElement suite)
    {
        var json = new StringBuilder("{\"metadata\":").Append(suite.GetProperty("metadata").GetRawText());
        if (suite.TryGetProperty("shapes", out var shapes)) json.Append(",\"shapes\":").Append(shapes.GetRawText());
        json.Append('}');
        using var doc = JsonDocument.Parse(json.ToString());
        return doc.RootElement.Clone();
    }

    private static JsonNode? TryParseJson(string text)
    {
        try { return JsonNode.Parse(text); }
        catch (JsonException) { return null; }
    }

    private static bool JsonEquivalent(string actual, string expected)
    {
        var a = TryParseJson(actual);
        var e = TryParseJson(expected);
        return a is not null && e is not null && JsonEqual(a, e);
    }

    /// <summary>Deep equality with unordered object keys and numbers compared by value.</summary>
    private static bool JsonEqual(JsonNode? a, JsonNode? b)
    {
        switch (a, b)
        {
            case (null, null):
                return true;
            case (JsonObject oa, JsonObject ob):
                return oa.Count == ob.Count && oa.All(p => ob.TryGetPropertyValue(p.Key, out var v) && JsonEqual(p.Value, v));
            case (JsonArray la, JsonArray lb):
                return la.Count == lb.Count && la.Zip(lb).All(p => JsonEqual(p.First, p.Second));
            case (JsonValue va, JsonValue vb):
                var ka = va.GetValueKind();
                if (ka != vb.GetValueKind()) return false;
                if (ka == JsonValueKind.Number)
                {
                    return decimal.Parse(va.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture)
                        == decimal.Parse(vb.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture);
                }
                return va.ToJsonString() == vb.ToJsonString() || (ka == JsonValueKind.String && va.GetValue<string>() == vb.GetValue<string>());
            default:
                return false;
        }
    }

    private static XElement? TryParseXml(string text)
    {
        if (text.Trim().Length == 0) return null;
        try { return XElement.Parse(text); }
        catch (System.Xml.XmlException) { return null; }
    }

    /// <summary>Like botocore's check (C14N with text stripped): names, attributes in any order, trimmed text.</summary>
    private static bool XmlEquivalent(string actual, string expected)
    {
        var a = TryParseXml(actual);
        var e = TryParseXml(expected);
        return a is not null && e is not null && Canonical(a) == Canonical(e);
    }

    private static string Canonical(XElement element)
    {
        var sb = new StringBuilder();
        sb.Append('<').Append(element.Name.ToString());
        foreach (var attr in element.Attributes().OrderBy(x => x.Name.ToString(), StringComparer.Ordinal))
        {
            sb.Append(' ').Append(attr.Name.ToString()).Append("=\"").Append(attr.Value).Append('"');
        }
        sb.Append('>');
        foreach (var node in element.Nodes())
        {
            if (node is XElement child) sb.Append(Canonical(child));
            else if (node is XText text) sb.Append(text.Value.Trim());
        }
        return sb.Append("</>").ToString();
    }

    /// <summary>The suites and cases botocore skips for one protocol file (input side).</summary>
    private sealed class IgnoreList(HashSet<string> suites, HashSet<string> cases)
    {
        public bool Contains(string suite, string id) => suites.Contains(suite) || cases.Contains(id);

        public static IgnoreList Read(JsonElement root, string protocol)
        {
            var suites = new HashSet<string>(StringComparer.Ordinal);
            var cases = new HashSet<string>(StringComparer.Ordinal);
            void Add(JsonElement section)
            {
                if (!section.TryGetProperty("input", out var input)) return;
                if (input.TryGetProperty("suites", out var s)) foreach (var x in s.EnumerateArray()) suites.Add(x.GetString()!);
                if (input.TryGetProperty("cases", out var c)) foreach (var x in c.EnumerateArray()) cases.Add(x.GetString()!);
            }
            if (root.TryGetProperty("general", out var general)) Add(general);
            if (root.TryGetProperty("protocols", out var protocols) && protocols.TryGetProperty(protocol, out var p)) Add(p);
            return new IgnoreList(suites, cases);
        }
    }

}
