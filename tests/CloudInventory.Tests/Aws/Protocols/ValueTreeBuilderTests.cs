using System.Text;
using System.Text.Json;
using CloudInventory.Aws.Models;
using CloudInventory.Aws.Protocols;

namespace CloudInventory.Tests.Aws.Protocols;

public class ValueTreeBuilderTests
{
    private static readonly ServiceModel s_model = ServiceModel.Parse("tree", JsonDocument.Parse("""
        {"metadata":{"protocol":"rest-xml"},
         "shapes":{"Out":{"type":"structure","members":{
             "When":{"type":"timestamp"},"Data":{"type":"blob"},"Ratio":{"type":"double"},
             "Items":{"shape":"Items","flattened":true,"locationName":"item"},
             "Tags":{"shape":"Tags","flattened":true,"locationName":"tag"},
             "Count":{"type":"integer"},"Name":{},"Doc":{"type":"structure","members":{},"document":true}}},
           "Items":{"type":"list","member":{}},
           "Tags":{"type":"map","key":{},"value":{}}}}
        """).RootElement);

    private static Operation Op => s_model.AddOperation("Get", JsonDocument.Parse("""{"output":{"shape":"Out"}}""").RootElement);

    private static ValueTreeBuilder ReadXml(string body)
    {
        var tree = new ValueTreeBuilder();
        AwsProtocolReader.ReadOutput(Op, AwsHttpResponse.Create(200, [], Encoding.UTF8.GetBytes(body)), tree);
        return tree;
    }

    [Fact]
    public void Appends_non_adjacent_flattened_list_items_and_map_entries()
    {
        var tree = ReadXml("""
            <Out><item>a</item><tag><key>k1</key><value>v1</value></tag><Name>n</Name>
                 <item>b</item><tag><value>v2</value><key>k2</key></tag></Out>
            """);
        Assert.Equal("""{"Items":["a","b"],"Tags":{"k1":"v1","k2":"v2"},"Name":"n"}""", tree.ToJson());
    }

    [Fact]
    public void Renders_timestamps_blobs_and_special_floats()
    {
        var tree = ReadXml("<Out><When>2024-01-02T03:04:05.25Z</When><Data>aGk=</Data><Ratio>NaN</Ratio><Count>3</Count></Out>");
        Assert.Equal("""{"When":"2024-01-02T03:04:05.25Z","Data":"aGk=","Ratio":"NaN","Count":3}""", tree.ToJson());
        Assert.Equal(Encoding.UTF8.GetBytes("hi"), tree.Root!["Data"]!.GetValue<byte[]>());
        Assert.Equal(new DateTimeOffset(2024, 1, 2, 3, 4, 5, 250, TimeSpan.Zero), tree.Root!["When"]!.GetValue<DateTimeOffset>());
    }

    [Fact]
    public void Renders_like_the_aws_cli_in_model_order()
    {
        var tree = ReadXml("<Out><When>2024-01-02T03:04:05Z</When><Name>café</Name><item>x</item></Out>");
        Assert.Equal("""
            {
                "When": "2024-01-02T03:04:05+00:00",
                "Items": [
                    "x"
                ],
                "Name": "café"
            }
            """.ReplaceLineEndings("\n"), tree.ToAwsCliJson().ReplaceLineEndings("\n"));
    }

    [Fact]
    public void Keeps_documents_as_json()
    {
        var tree = new ValueTreeBuilder();
        var shape = s_model.Shapes["Out"];
        tree.StartStructure(shape);
        tree.Member(shape.FindMember("Doc")!);
        using var doc = JsonDocument.Parse("""{"a":[1,true,null],"b":"x"}""");
        tree.Document(doc.RootElement);
        tree.EndStructure(shape);
        Assert.Equal("""{"Doc":{"a":[1,true,null],"b":"x"}}""", tree.ToJson());
    }

    [Fact]
    public void Has_no_root_when_the_operation_has_no_output()
    {
        var operation = s_model.AddOperation("Put", JsonDocument.Parse("{}").RootElement);
        var tree = new ValueTreeBuilder();
        AwsProtocolReader.ReadOutput(operation, AwsHttpResponse.Create(200, [], Array.Empty<byte>()), tree);
        Assert.Null(tree.Root);
        Assert.Equal("null", tree.ToJson());
    }
}
