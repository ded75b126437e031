using System.Text;
using System.Text.Json.Nodes;
using CloudInventory.Aws.Client.Internal;
using CloudInventory.Aws.Models;
using CloudInventory.Aws.Protocols;

namespace CloudInventory.Tests.Aws.Client.Internal;

public class PaginationTeeTests
{
    [Fact]
    public void Captures_the_last_key_and_forwards_every_event()
    {
        var (tree, tee) = Read("s3", "ListObjects", PaginatorExpression.Parse("NextMarker || Contents[-1].Key"),
            "<ListBucketResult xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><IsTruncated>true</IsTruncated>"
            + "<Contents><Key>a</Key></Contents><Contents><Key>b</Key></Contents></ListBucketResult>");
        Assert.Equal("b", tee.Value(0)!.GetValue<string>());
        Assert.Equal(2, tree.Root!["Contents"]!.AsArray().Count);
    }

    [Fact]
    public void Prefers_the_first_alternative_when_present()
    {
        var (_, tee) = Read("s3", "ListObjects", PaginatorExpression.Parse("NextMarker || Contents[-1].Key"),
            "<ListBucketResult xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><IsTruncated>true</IsTruncated><NextMarker>m</NextMarker>"
            + "<Contents><Key>a</Key></Contents></ListBucketResult>");
        Assert.Equal("m", tee.Value(0)!.GetValue<string>());
    }

    [Fact]
    public void Forgets_an_earlier_items_value_when_the_last_item_lacks_it()
    {
        var (_, tee) = Read("s3", "ListObjects", PaginatorExpression.Parse("Contents[-1].Key"),
            "<ListBucketResult xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><Contents><Key>a</Key></Contents><Contents><Size>1</Size></Contents></ListBucketResult>");
        Assert.Null(tee.Value(0));
    }

    [Fact]
    public void Captures_structured_values_and_first_items()
    {
        var (_, tee) = Read("dynamodb", "Scan", PaginatorExpression.Parse("LastEvaluatedKey"),
            """{"Items":[{"k":{"S":"x"}}],"LastEvaluatedKey":{"k":{"S":"1"},"n":{"N":"2"}}}""");
        Assert.Equal("""{"k":{"S":"1"},"n":{"N":"2"}}""", tee.Value(0)!.ToJsonString());
        var (_, first) = Read("dynamodb", "Scan", PaginatorExpression.Parse("Items[0].k.S"),
            """{"Items":[{"k":{"S":"x"}},{"k":{"S":"y"}}]}""");
        Assert.Equal("x", first.Value(0)!.GetValue<string>());
    }

    [Fact]
    public void Builds_captured_values_from_repeated_list_and_map_announcements()
    {
        var list = new Shape(null, ShapeType.List);
        var map = new Shape(null, ShapeType.Map);
        var structure = new Shape(null, ShapeType.Structure);
        var builder = new JsonValueBuilder();
        builder.StartStructure(structure);
        builder.Member(new Member("Items", list));
        builder.StartList(list);
        builder.String("a");
        builder.EndList(list);
        builder.Member(new Member("Tags", map));
        builder.StartMap(map);
        builder.MapKey("k1");
        builder.String("v1");
        builder.EndMap(map);
        builder.Member(new Member("Items", list));
        builder.StartList(list);
        builder.String("b");
        builder.EndList(list);
        builder.Member(new Member("Tags", map));
        builder.StartMap(map);
        builder.MapKey("k2");
        builder.String("v2");
        builder.EndMap(map);
        builder.EndStructure(structure);
        Assert.True(builder.IsComplete);
        Assert.Equal("""{"Items":["a","b"],"Tags":{"k1":"v1","k2":"v2"}}""", builder.Result!.ToJsonString());
    }

    [Theory]
    [InlineData("NextToken", 1, 1)]
    [InlineData("DistributionList.NextMarker", 1, 2)]
    [InlineData("NextMarker || Contents[-1].Key", 2, 1)]
    [InlineData("StreamDescription.Shards[-1].ShardId", 1, 4)]
    public void Parses_paginator_expressions(string text, int alternatives, int firstSteps)
    {
        var expression = PaginatorExpression.Parse(text);
        Assert.Equal(alternatives, expression.Alternatives.Count);
        Assert.Equal(firstSteps, expression.Alternatives[0].Count);
    }

    [Fact]
    public void Evaluates_expressions_over_built_output()
    {
        var root = JsonNode.Parse("""{"Contents":[{"Key":"a"},{"Key":"b"}],"List":{"Next":"n"}}""");
        Assert.Equal("b", PaginatorExpression.Parse("NextMarker || Contents[-1].Key").Evaluate(root)!.GetValue<string>());
        Assert.Equal("n", PaginatorExpression.Parse("List.Next").Evaluate(root)!.GetValue<string>());
        Assert.Null(PaginatorExpression.Parse("Missing[0]").Evaluate(root));
    }

    private static (ValueTreeBuilder Tree, PaginationTee Tee) Read(string service, string operation, PaginatorExpression expression, string body)
    {
        var op = AwsModelBundle.Default.GetService(service).Operations[operation];
        var tree = new ValueTreeBuilder();
        var tee = new PaginationTee(tree, [expression]);
        var contentType = body.StartsWith('{') ? "application/x-amz-json-1.0" : "application/xml";
        AwsProtocolReader.ReadOutput(op, AwsHttpResponse.Create(200, [new("Content-Type", contentType)], Encoding.UTF8.GetBytes(body)), tee);
        return (tree, tee);
    }
}
