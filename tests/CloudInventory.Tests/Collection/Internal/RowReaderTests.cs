using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Apache.Arrow;
using CloudInventory.Aws.Models;
using CloudInventory.Aws.Protocols;
using CloudInventory.Catalog;
using CloudInventory.Catalog.Internal;
using CloudInventory.Collection.Internal;
using CloudInventory.Storage;
using Column = CloudInventory.Catalog.Column;
using Table = CloudInventory.Catalog.Table;

namespace CloudInventory.Tests.Collection.Internal;

/// <summary>
/// The typed row path: a response read straight into column builders, every column kind, nested lists of structs,
/// carried fields that come after their rows, conversions, malformed values, kept values and parent columns.
/// </summary>
public sealed class RowReaderTests
{
    private static readonly DateTimeOffset ReportTime = new(2026, 12, 2, 6, 0, 0, TimeSpan.Zero);

    private static readonly ServiceModel s_model = ServiceModel.Parse("rows", JsonDocument.Parse("""
        {"metadata":{"protocol":"json","jsonVersion":"1.1","targetPrefix":"Rows"},
         "shapes":{
           "Out":{"type":"structure","members":{"Reservations":{"shape":"Reservations"},"NextToken":{"type":"string"}}},
           "Reservations":{"type":"list","member":{"shape":"Reservation"}},
           "Reservation":{"type":"structure","members":{"Instances":{"shape":"Instances"},"OwnerId":{"type":"string"},"Zone":{"type":"string"}}},
           "Instances":{"type":"list","member":{"shape":"Instance"}},
           "Instance":{"type":"structure","members":{
             "Id":{"type":"string"},"Count":{"type":"integer"},"Size":{"type":"long"},"Ratio":{"type":"double"},
             "On":{"type":"boolean"},"When":{"type":"timestamp"},"Data":{"type":"blob"},
             "Placement":{"shape":"Placement"},"Disks":{"shape":"Disks"},"Labels":{"shape":"Labels"},
             "Tags":{"shape":"TagList"},"Doc":{"shape":"Doc"},"Policy":{"type":"string"},"AdminPassword":{"type":"string"}}},
           "Placement":{"type":"structure","members":{"Zone":{"type":"string"},"Flag":{"type":"boolean"},"Since":{"type":"timestamp"}}},
           "Disks":{"type":"list","member":{"shape":"Disk"}},
           "Disk":{"type":"structure","members":{"Name":{"type":"string"},"Gib":{"type":"integer"},"Labels":{"shape":"Labels"}}},
           "Labels":{"type":"map","key":{"type":"string"},"value":{"type":"string"}},
           "TagList":{"type":"list","member":{"shape":"Tag"}},
           "Tag":{"type":"structure","members":{"Key":{"type":"string"},"Value":{"type":"string"}}},
           "Doc":{"type":"structure","members":{},"document":true}}}
        """).RootElement);

    private static readonly Operation s_operation = s_model.AddOperation("DescribeThings", JsonDocument.Parse("""{"output":{"shape":"Out"}}""").RootElement);

    private const string Page = """
        {"Reservations":[
          {"Instances":[
             {"Id":"i-1","Count":3,"Size":5000000000,"Ratio":0.25,"On":true,"When":1733112000,"Data":"AQID",
              "Placement":{"Zone":"eu-west-1a","Flag":false,"Since":1733112000.5},
              "Disks":[{"Name":"root","Gib":8,"Labels":{"a":"1"}},{"Name":"data","Gib":100}],
              "Labels":{"x":"y","z":"w"},
              "Tags":[{"Key":"Name","Value":"web"},{"Key":"env","Value":"prod"},{"Key":"Name","Value":"web-2"}],
              "Doc":{"any":[1,"two",{"three":3}]},"Policy":"{\"Version\": \"2012-10-17\"}","AdminPassword":"hunter2"},
             {"Id":"i-2","On":"None","Placement":{"Zone":"eu-west-1b","Flag":"None","Since":"not-a-date"},
              "Disks":[],"Tags":[],"Policy":"not json","Unknown":{"deep":[1,2]}}],
           "OwnerId":"111122223333","Zone":"ignored"},
          {"OwnerId":"444455556666","Instances":[{"Id":"i-3","Count":"N/A","Doc":"text"}]},
          {"Instances":[{"Id":"i-4"}]}],
         "NextToken":"t"}
        """;

    private static Table Things(bool withParent = false)
    {
        var instance = s_model.Shapes["Instance"];
        var columns = new List<Column>();
        foreach (var member in instance.Members)
        {
            if (SchemaDeriver.IsSecret(member)) continue;
            var name = ColumnNames.ToSnakeCase(member.Name);
            var path = "Reservations[].Instances[]." + member.Name;
            columns.Add(member.Name switch
            {
                "Tags" => new Column("tags", ColumnType.StringMap, ColumnOrigin.Api, path, null, ColumnConversion.TagListToMap),
                "Policy" => new Column(name, ColumnType.Json, ColumnOrigin.Api, path, null, ColumnConversion.JsonText),
                "Doc" => new Column(name, ColumnType.Json, ColumnOrigin.Api, path, null, ColumnConversion.ValueAsJson),
                _ => new Column(name, SchemaDeriver.Derive(member)!, ColumnOrigin.Api, path),
            });
        }
        columns.Add(new Column("owner_id", ColumnType.String, ColumnOrigin.Carried, "Reservations[].OwnerId"));
        if (withParent) columns.Add(new Column("cluster_arn", ColumnType.String, ColumnOrigin.Parent, "aws_rows_clusters.arn"));
        columns.Add(new Column("account_id", ColumnType.String, ColumnOrigin.System, null));
        columns.Add(new Column("region", ColumnType.String, ColumnOrigin.System, null));
        columns.Add(new Column("report_time", ColumnType.Timestamp, ColumnOrigin.System, null));
        return new Table("rows", "rows", "things", "DescribeThings", default, RowPath.Parse("Reservations[].Instances[]"), ["id"],
            TableScope.Regional, columns, [], null, TableOrigin.Curated, null);
    }

    [Fact]
    public void Writes_typed_values_carried_fields_read_after_the_rows_and_conversions()
    {
        var table = Things();
        var (batch, _) = ReadTyped(table, Page);
        var rows = Render(batch);

        Assert.Equal(4, batch.Length);
        Assert.Contains("id=i-1", rows[0]);
        Assert.Contains("count=3", rows[0]);
        Assert.Contains("size=5000000000", rows[0]);
        Assert.Contains("when=1733112000000", rows[0]);
        Assert.Contains("data=010203", rows[0]);
        Assert.Contains("placement={zone=eu-west-1a flag=False since=1733112000500}", rows[0]);
        Assert.Contains("disks=[{name=root gib=8 labels={a:1}} {name=data gib=100 labels=null}]", rows[0]);
        // A tag list is a map; a repeated key keeps its first place and its last value.
        Assert.Contains("tags={Name:web-2 env:prod}", rows[0]);
        Assert.Contains("""policy={"Version":"2012-10-17"}""", rows[0]);
        Assert.Contains("""doc={"any":[1,"two",{"three":3}]}""", rows[0]);
        // The carried owner comes after the rows in the response, and is each row's.
        Assert.Contains("owner_id=111122223333", rows[0]);
        Assert.Contains("owner_id=111122223333", rows[1]);
        Assert.Contains("owner_id=444455556666", rows[2]);
        Assert.Contains("owner_id=null", rows[3]);
        Assert.Contains("account_id=123456789012", rows[3]);
        // Text that is not JSON stays text, as a JSON string.
        Assert.Contains("policy=\"not json\"", rows[1]);
        // The secret-bearing member has no column, and its value is nowhere.
        Assert.DoesNotContain(rows, r => r.Contains("hunter2", StringComparison.Ordinal));
    }

    [Fact]
    public void A_malformed_scalar_in_a_nested_struct_is_null_in_its_row_and_a_warning_with_its_path()
    {
        var (batch, warnings) = ReadTyped(Things(), Page);
        var rows = Render(batch);

        Assert.Contains("on=null", rows[1]);
        Assert.Contains("placement={zone=eu-west-1b flag=null since=null}", rows[1]);
        Assert.Contains("count=null", rows[2]);
        Assert.Contains("Reservations[].Instances[].Placement.Flag boolean None", warnings);
        Assert.Contains("Reservations[].Instances[].Placement.Since timestamp not-a-date", warnings);
        Assert.Contains("Reservations[].Instances[].On boolean None", warnings);
        Assert.Contains("Reservations[].Instances[].Count integer N/A", warnings);
    }

    [Fact]
    public void A_response_that_fails_half_way_leaves_only_whole_rows()
    {
        var table = Things();
        var rows = new TableRowBuffer(table);
        var body = Page[..Page.IndexOf("\"i-3\"", StringComparison.Ordinal)];
        var reader = new RowReader(new TableRowLayout(table), rows, "123456789012", "eu-west-1", ReportTime, (_, _) => { });
        Assert.ThrowsAny<Exception>(() => AwsProtocolReader.ReadOutput(s_operation, AwsHttpResponse.Create(200, [], Encoding.UTF8.GetBytes(body)), reader));
        rows.DiscardIncompleteRows();

        var batch = rows.Flush();
        Assert.Equal(2, batch.Length);
        Assert.All(Enumerable.Range(0, batch.ColumnCount), i => Assert.Equal(2, batch.Column(i).Length));
        // The buffer takes whole rows again afterwards.
        var (again, _) = ReadTyped(table, Page, rows);
        Assert.Equal(4, again.Length);
    }

    [Fact]
    public void Keeps_the_values_child_tables_and_enrichments_are_given_and_copies_the_parent_columns()
    {
        var table = Things(withParent: true);
        var rows = new TableRowBuffer(table);
        var kept = new List<Dictionary<string, RecordedValue?>>();
        var parent = new Dictionary<string, RecordedValue?> { ["arn"] = RecordedValue.Of("arn:aws:rows:eu-west-1:123456789012:cluster/c1") };
        var reader = new RowReader(new TableRowLayout(table), rows, "123456789012", "eu-west-1", ReportTime, (_, _) => { },
            parent: parent, keep: new HashSet<string>(["id", "owner_id", "account_id", "placement", "cluster_arn"]), onRow: kept.Add);
        AwsProtocolReader.ReadOutput(s_operation, AwsHttpResponse.Create(200, [], Encoding.UTF8.GetBytes(Page)), reader);

        Assert.Equal(["i-1", "i-2", "i-3", "i-4"], kept.Select(k => (string?)k["id"]!.Whole!.Value.ToJsonNode()));
        // A carried value is kept once its enclosing object has ended (here after the rows).
        Assert.Equal(["111122223333", "111122223333", "444455556666", null], kept.Select(k => (string?)k["owner_id"]?.Whole?.ToJsonNode()));
        Assert.All(kept, k => Assert.Equal("123456789012", (string?)k["account_id"]!.Whole!.Value.ToJsonNode()));
        Assert.Equal("""{"Zone":"eu-west-1a","Flag":false,"Since":"2024-12-02T04:00:00.5+00:00"}""", kept[0]["placement"]!.Whole!.Value.ToJsonNode()!.ToJsonString());
        Assert.All(kept, k => Assert.Equal("arn:aws:rows:eu-west-1:123456789012:cluster/c1", (string?)k["cluster_arn"]!.Whole!.Value.ToJsonNode()));
        Assert.All(Render(rows.Flush()), r => Assert.Contains("cluster_arn=arn:aws:rows:eu-west-1:123456789012:cluster/c1", r));
    }

    [Fact]
    public void Parts_of_a_recorded_output_are_selected_as_enrichment_results_are()
    {
        var output = new RecordedValue(trackMalformed: true);
        AwsProtocolReader.ReadOutput(s_operation, AwsHttpResponse.Create(200, [], Encoding.UTF8.GetBytes(Page)), output);

        var first = output.Whole!.Value.Select(RowPath.Parse("Reservations[].Instances[]"))!.Value;
        Assert.Equal("i-1", (string?)first.Member("Id")!.Value.ToJsonNode());
        Assert.Null(first.Member("Missing"));
        var reservations = output.Whole!.Value.Member("Reservations")!.Value;
        Assert.True(reservations.IsList);
        var joined = RecordedValue.JoinLists([reservations, reservations]).Whole!.Value.ToJsonNode()!.AsArray();
        Assert.Equal(6, joined.Count);
        Assert.Contains(output.MalformedValues, m => m.MemberPath == "Reservations[].Instances[].Placement.Flag");
    }

    private static (RecordBatch Batch, List<string> Warnings) ReadTyped(Table table, string body, TableRowBuffer? rows = null)
    {
        rows ??= new TableRowBuffer(table);
        var warnings = new List<string>();
        var complete = 0;
        var reader = new RowReader(new TableRowLayout(table), rows, "123456789012", "eu-west-1", ReportTime, (n, _) => complete += n,
            m => warnings.Add($"{m.MemberPath} {m.Type} {m.Text}"));
        AwsProtocolReader.ReadOutput(s_operation, AwsHttpResponse.Create(200, [], Encoding.UTF8.GetBytes(body)), reader);
        Assert.Equal(rows.RowCount, complete);
        return (rows.Flush(), warnings);
    }

    // Each row as "column=value ..." with nested values spelled out.
    private static string[] Render(RecordBatch batch) => Enumerable.Range(0, batch.Length)
        .Select(r => string.Join(' ', Enumerable.Range(0, batch.ColumnCount).Select(c => $"{batch.Schema.GetFieldByIndex(c).Name}={Value(batch.Column(c), r)}")))
        .ToArray();

    private static string Value(IArrowArray array, int i)
    {
        if (array.IsNull(i)) return "null";
        return array switch
        {
            StringArray s => s.GetString(i),
            BinaryArray b => Convert.ToHexString(b.GetBytes(i)),
            Int32Array n => n.GetValue(i)!.Value.ToString(CultureInfo.InvariantCulture),
            Int64Array n => n.GetValue(i)!.Value.ToString(CultureInfo.InvariantCulture),
            DoubleArray d => d.GetValue(i)!.Value.ToString("R", CultureInfo.InvariantCulture),
            BooleanArray b => b.GetValue(i)!.Value.ToString(),
            TimestampArray t => t.GetValue(i)!.Value.ToString(CultureInfo.InvariantCulture),
            StructArray s => "{" + string.Join(' ', ((Apache.Arrow.Types.StructType)s.Data.DataType).Fields.Select((f, k) => $"{f.Name}={Value(s.Fields[k], i)}")) + "}",
            MapArray m => "{" + string.Join(' ', Enumerable.Range(m.ValueOffsets[i], m.ValueOffsets[i + 1] - m.ValueOffsets[i]).Select(k => $"{Value(m.Keys, k)}:{Value(m.Values, k)}")) + "}",
            ListArray l => "[" + string.Join(' ', Enumerable.Range(l.ValueOffsets[i], l.ValueOffsets[i + 1] - l.ValueOffsets[i]).Select(k => Value(l.Values, k))) + "]",
            _ => array.GetType().Name,
        };
    }
}
