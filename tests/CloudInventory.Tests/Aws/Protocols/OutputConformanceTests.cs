using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using CloudInventory.Aws.Models;
using CloudInventory.Aws.Protocols;
using Xunit.Abstractions;

namespace CloudInventory.Tests.Aws.Protocols;

/// <summary>
/// Runs every output case of AWS's protocol conformance suites (botocore's, in ../shared/conformance)
/// through <see cref="AwsProtocolReader"/>: successful responses through ReadOutput, error responses
/// (cases expecting an error code) through ReadError and ReadErrorDetails, compared deeply with the
/// expected result (timestamps as epoch seconds, blobs as UTF-8 strings, numbers by value).
/// </summary>
public class OutputConformanceTests(ITestOutputHelper output)
{
    /// <summary>
    /// Cases skipped beyond botocore's own ignore list, with the reason. Only features a
    /// read-only inventory client never needs (event streams, streaming bodies) may go here.
    /// </summary>
    private static readonly Dictionary<string, string> s_skipped = new(StringComparer.Ordinal)
    {
        // (none: every output case runs)
    };

    [Theory]
    [InlineData("ec2")]
    [InlineData("query")]
    [InlineData("json")]
    [InlineData("json_1_0")]
    [InlineData("rest-json")]
    [InlineData("rest-xml")]
    public void Reads_every_output_case_of_the_suite(string file)
    {
        var root = ConformanceDirectory();
        var ignored = IgnoredCases(root, file);
        using var suites = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(root, "output", file + ".json")));
        int passed = 0, skipped = 0, ignoredPassing = 0;
        var failures = new List<string>();
        foreach (var suite in suites.RootElement.EnumerateArray())
        {
            var model = BuildModel(suite);
            foreach (var testCase in suite.GetProperty("cases").EnumerateArray())
            {
                var id = testCase.GetProperty("id").GetString()!;
                if (s_skipped.ContainsKey(id))
                {
                    skipped++;
                    continue;
                }
                if (ignored.Contains(id))
                {
                    // botocore's ignore list: run anyway, but only report the outcome.
                    skipped++;
                    try
                    {
                        RunCase(model, testCase);
                        ignoredPassing++;
                    }
                    catch (Exception ex)
                    {
                        output.WriteLine($"  (ignore-listed) {id}: {ex.Message}");
                    }
                    continue;
                }
                try
                {
                    RunCase(model, testCase);
                    passed++;
                }
                catch (Exception ex)
                {
                    failures.Add($"{id}: {ex.GetType().Name}: {ex.Message}");
                }
            }
        }
        var summary = $"output/{file}.json: {passed} passed, {skipped} skipped (botocore ignore list; {ignoredPassing} of them pass anyway), {failures.Count} failed";
        output.WriteLine(summary);
        Console.WriteLine(summary);
        foreach (var failure in failures) output.WriteLine("  " + failure);
        Assert.True(failures.Count == 0, summary + Environment.NewLine + string.Join(Environment.NewLine, failures));
        Assert.True(passed > 0, summary);
    }

    private static void RunCase(ServiceModel model, JsonElement testCase)
    {
        var given = testCase.GetProperty("given");
        var operation = model.AddOperation(given.GetProperty("name").GetString()!, given);
        var response = ToResponse(testCase.GetProperty("response"));
        if (testCase.TryGetProperty("errorCode", out var errorCode))
        {
            Assert.True(AwsProtocolReader.IsError(response), "IsError should be true for an error case");
            var error = AwsProtocolReader.ReadError(operation, response);
            Assert.Equal(errorCode.GetString(), error.Code);
            Assert.Equal(response.StatusCode, error.StatusCode);
            if (testCase.TryGetProperty("errorMessage", out var message)) Assert.Equal(message.GetString(), error.Message);
            if (testCase.TryGetProperty("error", out var expected))
            {
                var shape = ErrorShape(model, given, error.Code)
                    ?? throw new Xunit.Sdk.XunitException($"no error shape in the operation for code {error.Code}");
                var builder = new ValueTreeBuilder();
                AwsProtocolReader.ReadErrorDetails(operation, response, shape, builder);
                AssertSame(JsonNode.Parse(expected.GetRawText()), Normalize(builder.Root ?? new JsonObject()), "$");
            }
            return;
        }
        Assert.False(AwsProtocolReader.IsError(response), "IsError should be false for a successful case");
        var tree = new ValueTreeBuilder();
        AwsProtocolReader.ReadOutput(operation, response, tree);
        var expectedResult = testCase.TryGetProperty("result", out var result) ? JsonNode.Parse(result.GetRawText()) : new JsonObject();
        AssertSame(expectedResult, Normalize(tree.Root ?? new JsonObject()), "$");
    }

    private static Shape? ErrorShape(ServiceModel model, JsonElement given, string code)
    {
        if (!given.TryGetProperty("errors", out var errors)) return null;
        Shape? only = null;
        foreach (var e in errors.EnumerateArray())
        {
            if (!model.Shapes.TryGetValue(e.GetProperty("shape").GetString()!, out var shape)) continue;
            if (shape.Name == code || shape.ErrorCode == code) return shape;
            only = errors.GetArrayLength() == 1 ? shape : null;
        }
        return only;
    }

    private static ServiceModel BuildModel(JsonElement suite)
    {
        var api = new JsonObject
        {
            ["metadata"] = JsonNode.Parse(suite.GetProperty("metadata").GetRawText()),
            ["shapes"] = JsonNode.Parse(suite.GetProperty("shapes").GetRawText()),
        };
        using var doc = JsonDocument.Parse(api.ToJsonString());
        return ServiceModel.Parse("conformance", doc.RootElement.Clone());
    }

    private static AwsHttpResponse ToResponse(JsonElement response)
    {
        var headers = new List<KeyValuePair<string, string>>();
        if (response.TryGetProperty("headers", out var h))
        {
            foreach (var p in h.EnumerateObject()) headers.Add(new(p.Name, p.Value.GetString() ?? ""));
        }
        var body = response.TryGetProperty("body", out var b) && b.ValueKind == JsonValueKind.String ? Encoding.UTF8.GetBytes(b.GetString()!) : [];
        return AwsHttpResponse.Create(response.GetProperty("status_code").GetInt32(), headers, body);
    }

    /// <summary>Converts a reader's tree to the suites' conventions: timestamps as epoch seconds, blobs as UTF-8 text.</summary>
    private static JsonNode? Normalize(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject obj:
                var o = new JsonObject();
                foreach (var (k, v) in obj) o[k] = Normalize(v);
                return o;
            case JsonArray array:
                var a = new JsonArray();
                foreach (var item in array) a.Add(Normalize(item));
                return a;
            case JsonValue value:
                if (value.TryGetValue<string>(out var s)) return JsonValue.Create(s);
                if (value.TryGetValue<JsonElement>(out var e)) return JsonNode.Parse(e.GetRawText());
                if (value.TryGetValue<DateTimeOffset>(out var t)) return JsonValue.Create((decimal)(t.UtcTicks - DateTimeOffset.UnixEpoch.Ticks) / TimeSpan.TicksPerSecond);
                if (value.TryGetValue<byte[]>(out var bytes)) return JsonValue.Create(Encoding.UTF8.GetString(bytes));
                if (value.TryGetValue<double>(out var d) && !double.IsFinite(d)) return JsonValue.Create(double.IsNaN(d) ? "NaN" : d > 0 ? "Infinity" : "-Infinity");
                return JsonNode.Parse(value.ToJsonString());
            default:
                return null;
        }
    }

    private static void AssertSame(JsonNode? expected, JsonNode? actual, string path)
    {
        switch (expected)
        {
            case null:
                Assert.True(actual is null, $"{path}: expected null, got {actual?.ToJsonString()}");
                return;
            case JsonObject eo:
                var ao = Assert.IsType<JsonObject>(actual, exactMatch: false);
                var expectedKeys = eo.Select(p => p.Key).Order(StringComparer.Ordinal).ToArray();
                var actualKeys = ao.Select(p => p.Key).Order(StringComparer.Ordinal).ToArray();
                Assert.True(expectedKeys.SequenceEqual(actualKeys), $"{path}: expected keys [{string.Join(", ", expectedKeys)}], got [{string.Join(", ", actualKeys)}]");
                foreach (var (k, v) in eo) AssertSame(v, ao[k], $"{path}.{k}");
                return;
            case JsonArray ea:
                var aa = Assert.IsType<JsonArray>(actual, exactMatch: false);
                Assert.True(ea.Count == aa.Count, $"{path}: expected {ea.Count} items, got {aa.Count}: {aa.ToJsonString()}");
                for (var i = 0; i < ea.Count; i++) AssertSame(ea[i], aa[i], $"{path}[{i}]");
                return;
            case JsonValue ev:
                Assert.True(actual is JsonValue, $"{path}: expected {ev.ToJsonString()}, got {actual?.ToJsonString() ?? "nothing"}");
                var av = (JsonValue)actual!;
                if (ev.GetValueKind() == JsonValueKind.Number && av.GetValueKind() == JsonValueKind.Number)
                {
                    var x = decimal.Parse(ev.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture);
                    var y = decimal.Parse(av.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture);
                    Assert.True(x == y || Math.Abs((double)x - (double)y) <= Math.Abs((double)x) * 1e-7, $"{path}: expected {x}, got {y}");
                    return;
                }
                Assert.True(JsonNode.DeepEquals(ev, av), $"{path}: expected {ev.ToJsonString()}, got {av.ToJsonString()}");
                return;
        }
    }

    private static HashSet<string> IgnoredCases(string root, string file)
    {
        using var doc = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(root, "protocol-tests-ignore-list.json")));
        var ids = new HashSet<string>(StringComparer.Ordinal);
        if (doc.RootElement.GetProperty("protocols").TryGetProperty(file, out var protocol)
            && protocol.TryGetProperty("output", out var o) && o.TryGetProperty("cases", out var cases))
        {
            foreach (var c in cases.EnumerateArray()) ids.Add(c.GetString()!);
        }
        return ids;
    }

    internal static string ConformanceDirectory() => RepositoryRoot.Conformance("aws-protocols");
}
