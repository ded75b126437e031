using System.Text;
using System.Text.Json.Nodes;
using System.Xml.Linq;
using CloudInventory.Aws.Models;
using CloudInventory.Aws.Protocols;

namespace CloudInventory.Tests.Aws.Protocols;

/// <summary>
/// Serializes every operation of every bundled AWS model with a sample input (its required
/// members, plus the optional ones near the top), so each construct the real models use —
/// labels, greedy labels, static queries, header maps, payloads, namespaces, flattened
/// collections — goes through the serializer at least once.
/// </summary>
public class AwsRequestSerializerModelSweepTests
{
    [Fact]
    public void Serializes_every_bundled_operation_with_a_sample_input()
    {
        var count = 0;
        var failures = new List<string>();
        foreach (var info in AwsModelBundle.Default.Services)
        {
            var model = AwsModelBundle.Default.GetService(info.Name);
            foreach (var op in model.Operations.Values)
            {
                count++;
                try
                {
                    var request = AwsRequestSerializer.Serialize(op, op.Input is null ? null : SampleStructure(op.Input.Shape, 0));
                    var problem = Check(model, request);
                    if (problem is not null) failures.Add($"{op}: {problem}");
                }
                catch (AwsRequestException e)
                {
                    failures.Add($"{op}: {e.Message}");
                }
            }
        }
        Assert.True(count > 10_000, $"only {count} operations");
        Assert.True(failures.Count == 0, string.Join("\n", failures.Take(20)));
    }

    [Fact]
    public void Serializes_every_operation_without_required_members_from_no_input()
    {
        var count = 0;
        foreach (var info in AwsModelBundle.Default.Services)
        {
            var model = AwsModelBundle.Default.GetService(info.Name);
            foreach (var op in model.Operations.Values)
            {
                if (op.Input?.Shape.Members.Any(m => m.IsRequired) == true) continue;
                var request = AwsRequestSerializer.Serialize(op, null);
                Assert.Null(Check(model, request));
                count++;
            }
        }
        Assert.True(count > 2_000, $"only {count} operations");
    }

    private static string? Check(ServiceModel model, AwsHttpRequest request)
    {
        if (!request.Path.StartsWith('/')) return $"path '{request.Path}' does not start with /";
        if (request.Path.Contains('{', StringComparison.Ordinal)) return $"path '{request.Path}' has an unexpanded label";
        switch (model.Protocol)
        {
            case AwsProtocol.Query or AwsProtocol.Ec2:
                if (!Encoding.UTF8.GetString(request.Body).StartsWith("Action=", StringComparison.Ordinal)) return "form body without Action";
                break;
            case AwsProtocol.Json:
                if (!request.Headers.ContainsKey("X-Amz-Target")) return "no X-Amz-Target";
                if (JsonNode.Parse(request.Body) is not JsonObject) return "body is not a JSON object";
                break;
            case AwsProtocol.RestJson when request.Headers.GetValueOrDefault("Content-Type") == "application/json":
                JsonNode.Parse(request.Body);
                break;
            case AwsProtocol.RestXml when request.Headers.GetValueOrDefault("Content-Type") == "application/xml":
                XElement.Parse(Encoding.UTF8.GetString(request.Body));
                break;
        }
        return null;
    }

    private static JsonObject SampleStructure(Shape shape, int depth)
    {
        var value = new JsonObject();
        if (depth > 8) return value;
        foreach (var member in shape.Members)
        {
            if (shape.Union)
            {
                value[member.Name] = Sample(member, depth);
                break;
            }
            if (member.IsRequired || depth <= 2) value[member.Name] = Sample(member, depth);
        }
        return value;
    }

    private static JsonNode Sample(Member member, int depth)
    {
        var shape = member.Shape;
        if (shape.Document) return new JsonObject { ["a"] = 1 };
        return shape.Type switch
        {
            ShapeType.String => shape.EnumValues is { Count: > 0 } values ? values[0] : "x",
            ShapeType.Integer or ShapeType.Long => 1,
            ShapeType.Float or ShapeType.Double => 1.5,
            ShapeType.Boolean => true,
            ShapeType.Timestamp => 1422172800,
            ShapeType.Blob => "x",
            ShapeType.List => depth > 4 ? new JsonArray() : new JsonArray(Sample(shape.ListMember!, depth + 1)),
            ShapeType.Map => depth > 4 ? new JsonObject() : new JsonObject { ["k"] = Sample(shape.MapValue!, depth + 1) },
            _ => SampleStructure(shape, depth + 1),
        };
    }
}
