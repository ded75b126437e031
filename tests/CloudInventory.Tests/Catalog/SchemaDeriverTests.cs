using System.Text.Json;
using CloudInventory.Aws.Models;
using CloudInventory.Catalog;
using CloudInventory.Catalog.Internal;

namespace CloudInventory.Tests.Catalog;

public class SchemaDeriverTests
{
    private static ServiceModel Model(string shapes) => ServiceModel.Parse("test", JsonDocument.Parse(
        """{"metadata":{"protocol":"json","apiVersion":"2020-01-01","jsonVersion":"1.1","targetPrefix":"T"},"operations":{},"shapes":{"""
        + shapes + "}}").RootElement);

    [Fact]
    public void Maps_every_shape_type_to_its_column_type()
    {
        var model = Model("""
            "All":{"type":"structure","members":{
              "S":{"shape":"Str"},"E":{"shape":"Enum"},"I":{"shape":"Int"},"L":{"shape":"Long"},"F":{"shape":"Float"},"D":{"shape":"Double"},
              "B":{"shape":"Bool"},"T":{"shape":"Time"},"Bl":{"shape":"Blob"},"Li":{"shape":"StrList"},"M":{"shape":"StrMap"},"St":{"shape":"Inner"},"Doc":{"shape":"Doc"}}},
            "Str":{"type":"string"},"Enum":{"type":"string","enum":["on","off"]},"Int":{"type":"integer"},"Long":{"type":"long"},
            "Float":{"type":"float"},"Double":{"type":"double"},"Bool":{"type":"boolean"},"Time":{"type":"timestamp"},"Blob":{"type":"blob"},
            "StrList":{"type":"list","member":{"shape":"Str"}},"StrMap":{"type":"map","key":{"shape":"Str"},"value":{"shape":"Int"}},
            "Inner":{"type":"structure","members":{"X":{"shape":"Long"}}},"Doc":{"type":"structure","members":{},"document":true}
            """);
        var type = SchemaDeriver.Derive(model.Shapes["All"])!;
        Assert.Equal(
            "struct<s:string,e:string,i:int,l:bigint,f:double,d:double,b:boolean,t:timestamp,bl:binary,li:array<string>,m:map<string,int>,st:struct<x:bigint>,doc:string>",
            type.ToHiveType());
        Assert.Equal(ColumnKind.Json, type.Fields.Single(f => f.Name == "doc").Type.Kind);
        Assert.Equal("One of: on, off.", SchemaDeriver.Describe(model.Shapes["Enum"]));
    }

    [Fact]
    public void Cuts_a_recursive_shape_at_the_cycle_into_json_text()
    {
        var model = Model("""
            "Node":{"type":"structure","members":{"Name":{"shape":"Str"},"Children":{"shape":"NodeList"},"Parent":{"shape":"Node"},"Meta":{"shape":"Meta"}}},
            "NodeList":{"type":"list","member":{"shape":"Node"}},
            "Meta":{"type":"structure","members":{"Owner":{"shape":"Str"},"Back":{"shape":"Node"}}},
            "Str":{"type":"string"}
            """);
        var type = SchemaDeriver.Derive(model.Shapes["Node"])!;
        Assert.Equal("struct<name:string,children:string,parent:string,meta:struct<owner:string,back:string>>", type.ToHiveType());
        Assert.All(new[] { "children", "parent" }, n => Assert.Equal(ColumnKind.Json, type.Fields.Single(f => f.Name == n).Type.Kind));
    }

    [Fact]
    public void Leaves_out_secrets_and_structures_with_nothing_left()
    {
        var model = Model("""
            "Fn":{"type":"structure","members":{"Name":{"shape":"Str"},"Secret":{"shape":"Hidden"},"KmsKeyId":{"shape":"Hidden"},"UserData":{"shape":"Str"},
              "Environment":{"shape":"EnvList"},"MasterUserPassword":{"shape":"Str"},"PasswordLastUsed":{"shape":"Time"},"Empty":{"shape":"Empty"}}},
            "Hidden":{"type":"string","sensitive":true},
            "EnvList":{"type":"list","member":{"shape":"Pair"}},
            "Pair":{"type":"structure","members":{"name":{"shape":"Str"},"value":{"shape":"Str"}}},
            "Empty":{"type":"structure","members":{"Only":{"shape":"Hidden"}}},
            "Str":{"type":"string"},"Time":{"type":"timestamp"}
            """);
        Assert.Equal("struct<name:string,kms_key_id:string,password_last_used:timestamp>", SchemaDeriver.Derive(model.Shapes["Fn"])!.ToHiveType());
    }

    [Fact]
    public void Recognises_key_value_tag_lists()
    {
        var model = Model("""
            "Tags":{"type":"list","member":{"shape":"Tag"}},"Tag":{"type":"structure","members":{"Key":{"shape":"Str"},"Value":{"shape":"Str"}}},
            "KmsTags":{"type":"list","member":{"shape":"KmsTag"}},"KmsTag":{"type":"structure","members":{"TagKey":{"shape":"Str"},"TagValue":{"shape":"Str"}}},
            "AsgTags":{"type":"list","member":{"shape":"AsgTag"}},"AsgTag":{"type":"structure","members":{"Key":{"shape":"Str"},"Value":{"shape":"Str"},"PropagateAtLaunch":{"shape":"Bool"}}},
            "Str":{"type":"string"},"Bool":{"type":"boolean"}
            """);
        Assert.True(SchemaDeriver.IsTagList(model.Shapes["Tags"]));
        Assert.True(SchemaDeriver.IsTagList(model.Shapes["KmsTags"]));
        Assert.False(SchemaDeriver.IsTagList(model.Shapes["AsgTags"]));
    }

    [Fact]
    public void Derives_the_ec2_instance_table_from_the_model()
    {
        var table = Curated("aws_ec2_instances");
        Assert.Equal("Reservations[].Instances[]", table.RowPath.ToString());
        Assert.Equal(["instance_id"], table.PrimaryKey);

        // Carried reservation fields first, then the instance in model order, then system columns.
        Assert.Equal(["reservation_id", "owner_id", "requester_id", "ami_launch_index", "image_id", "instance_id"], table.Columns.Take(6).Select(c => c.Name));
        Assert.Equal(["account_id", "region", "report_time"], table.Columns.TakeLast(3).Select(c => c.Name));
        Assert.Equal(ColumnOrigin.Carried, table.FindColumn("reservation_id")!.Origin);
        Assert.Equal("Reservations[].ReservationId", table.FindColumn("reservation_id")!.SourcePath);

        Assert.Equal("int", Type(table, "ami_launch_index"));
        Assert.Equal("timestamp", Type(table, "launch_time"));
        Assert.Equal("boolean", Type(table, "ebs_optimized"));
        Assert.Equal("string", Type(table, "sriov_net_support"));
        Assert.Equal("struct<arn:string,id:string>", Type(table, "iam_instance_profile"));
        Assert.Equal("struct<code:int,name:string>", Type(table, "state"));
        Assert.Equal("array<struct<group_name:string,group_id:string>>", Type(table, "security_groups"));
        Assert.Equal("map<string,string>", Type(table, "tags"));
        Assert.Equal(ColumnConversion.TagListToMap, table.FindColumn("tags")!.Conversion);
        Assert.Contains("ipv6_addresses:array<struct<ipv6_address:string", Type(table, "network_interfaces"), StringComparison.Ordinal);
        Assert.Contains("ebs:struct<attach_time:timestamp,delete_on_termination:boolean", Type(table, "block_device_mappings"), StringComparison.Ordinal);
        Assert.Equal("STRUCT(\"code\" INTEGER, \"name\" VARCHAR)", table.FindColumn("state")!.Type.ToDuckDbType());
        Assert.Equal(table.Columns.Count, table.Columns.Select(c => c.Name).Distinct().Count());
    }

    [Fact]
    public void Derives_the_s3_bucket_table_with_its_enrichments()
    {
        var table = Curated("aws_s3_buckets");
        Assert.Equal(TableScope.Global, table.Scope);
        Assert.Equal(["name", "creation_date", "bucket_region", "account_id", "region", "report_time"], table.Columns.Take(6).Select(c => c.Name));
        Assert.Equal(
            ["location", "encryption", "versioning", "public_access_block", "tags", "policy", "policy_status", "lifecycle", "logging", "replication", "ownership_controls"],
            table.Enrichments.Select(e => e.Name));
        Assert.All(table.Enrichments, e => Assert.Equal([new InputBinding("Bucket", "name")], e.Bindings));
        Assert.Equal(table.Enrichments.Select(e => e.Name), table.Columns.Where(c => c.Origin == ColumnOrigin.Enrichment).Select(c => c.Name));

        Assert.Equal("string", Type(table, "location"));
        Assert.Equal("struct<status:string,mfa_delete:string>", Type(table, "versioning"));
        Assert.Equal("struct<block_public_acls:boolean,ignore_public_acls:boolean,block_public_policy:boolean,restrict_public_buckets:boolean>", Type(table, "public_access_block"));
        Assert.StartsWith("struct<rules:array<struct<apply_server_side_encryption_by_default:struct<sse_algorithm:string,kms_master_key_id:string>", Type(table, "encryption"), StringComparison.Ordinal);
        Assert.Equal("map<string,string>", Type(table, "tags"));
        Assert.Equal(ColumnConversion.TagListToMap, table.Enrichments.Single(e => e.Name == "tags").Conversion);
        Assert.Equal(ColumnKind.Json, table.FindColumn("policy")!.Type.Kind);
        Assert.Equal(ColumnConversion.JsonText, table.FindColumn("policy")!.Conversion);
        Assert.Equal(["NoSuchBucketPolicy"], table.Enrichments.Single(e => e.Name == "policy").AbsentOn);
        Assert.StartsWith("struct<rules:array<struct<expiration:struct<date:timestamp,days:int", Type(table, "lifecycle"), StringComparison.Ordinal);
    }

    [Fact]
    public void Derives_the_iam_role_table_with_decoded_policy_documents()
    {
        var table = Curated("aws_iam_roles");
        Assert.Equal(TableScope.Global, table.Scope);
        Assert.Equal(["path", "role_name", "role_id", "arn", "create_date", "assume_role_policy_document"], table.Columns.Take(6).Select(c => c.Name));
        var document = table.FindColumn("assume_role_policy_document")!;
        Assert.Equal(ColumnKind.Json, document.Type.Kind);
        Assert.Equal(ColumnConversion.UrlEncodedJsonText, document.Conversion);
        Assert.Equal("struct<permissions_boundary_type:string,permissions_boundary_arn:string>", Type(table, "permissions_boundary"));
        Assert.Equal(ColumnOrigin.Enrichment, table.FindColumn("tags")!.Origin);
        Assert.Equal("struct<last_used_date:timestamp,region:string>", Type(table, "role_last_used"));
        Assert.Null(table.Columns.FirstOrDefault(c => c.Name == "tags" && c.Origin == ColumnOrigin.Api));
    }

    [Fact]
    public void Cuts_the_recursive_waf_rule_statement_in_a_real_model()
    {
        var wafv2 = AwsModelBundle.Default.GetService("wafv2");
        var webAcl = wafv2.Operations["GetWebACL"].Output!.Shape.FindMember("WebACL")!;
        var type = SchemaDeriver.Derive(webAcl)!;
        var statement = type.Fields.Single(f => f.Name == "rules").Type.Element!.Fields.Single(f => f.Name == "statement").Type;
        var and = statement.Fields.Single(f => f.Name == "and_statement").Type;
        Assert.Equal(ColumnKind.Json, and.Fields.Single(f => f.Name == "statements").Type.Kind);
        Assert.Equal(ColumnKind.Struct, statement.Fields.Single(f => f.Name == "byte_match_statement").Type.Kind);
    }

    [Fact]
    public void Leaves_lambda_environment_variables_out()
    {
        var table = Curated("aws_lambda_functions");
        Assert.Equal("struct<error:struct<error_code:string>>", Type(table, "environment"));
        Assert.DoesNotContain(table.Columns, c => c.Type.ToHiveType().Contains("variables", StringComparison.Ordinal));
    }

    internal static Table Curated(string name) => TableCatalog.Default.Find(name) ?? throw new InvalidOperationException($"no table {name}");

    private static string Type(Table table, string column) =>
        (table.FindColumn(column) ?? throw new InvalidOperationException($"{table.Name} has no column {column}")).Type.ToHiveType();
}
