using System.Text.Json;
using Apache.Arrow;
using CloudInventory.Aws.Protocols;
using CloudInventory.Azure.Models;
using CloudInventory.Catalog;
using CloudInventory.Collection.Azure;
using CloudInventory.Storage;
using Table = CloudInventory.Catalog.Table;

namespace CloudInventory.Tests.Collection.Azure;

/// <summary>
/// The Azure row path: a Resource Graph row written from its page's document straight into a table's column builders —
/// envelope, flattened properties, properties_extra, the catch-all's properties JSON — with secrets left out at every
/// depth, conversions that lose nothing, and values that do not fit their column read as null and reported.
/// </summary>
public sealed class AzureRowReaderTests
{
    private static readonly DateTimeOffset ReportTime = new(2026, 12, 2, 6, 0, 0, TimeSpan.Zero);
    private const string Subscription = "00000000-0000-0000-0000-0000000000aa";

    // A VM row as Resource Graph returns it (type in lower case), with planted secrets: a write-only member the model
    // knows (adminPassword), secret-bearing names the model does not flag (customData, clientSecret, a tag), at depth.
    private const string VmRow = """
        {"id":"/subscriptions/00000000-0000-0000-0000-0000000000aa/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/vm1",
         "name":"vm1","type":"microsoft.compute/virtualmachines","subscriptionId":"00000000-0000-0000-0000-0000000000aa",
         "resourceGroup":"rg","location":"westeurope","zones":["1",2],
         "sku":{"name":"Standard_D2s_v3","capacity":"two"},
         "identity":{"type":"UserAssigned","userAssignedIdentities":{"/x/id1":{"principalId":"p1","clientSecret":"planted-secret-1"}}},
         "tags":{"env":"prod","dbPassword":"planted-secret-2","count":3},
         "properties":{
           "provisioningState":"Succeeded",
           "hardwareProfile":{"vmSize":"Standard_D2s_v3"},
           "osProfile":{"computerName":"vm1","adminUsername":"azureuser","adminPassword":"planted-secret-3","customData":"planted-secret-4"},
           "platformFaultDomain":"not-a-number",
           "surpriseMember":{"nested":{"value":1.5,"accessKey":"planted-secret-5"},"list":[1,"a",true,null]},
           "userData":"planted-secret-6"}}
        """;

    private static (RecordBatch Batch, List<MalformedValue> Malformed) Read(string tableName, params string[] rows)
    {
        var table = TableCatalog.Default.Find(tableName)!;
        var buffer = new TableRowBuffer(table);
        var reader = new AzureRowReader(table, AzureModelBundle.Default, buffer);
        var malformed = new List<MalformedValue>();
        foreach (var row in rows)
        {
            using var document = JsonDocument.Parse(row);
            reader.Write(document.RootElement, Subscription, ReportTime, malformed.Add);
        }
        Assert.Equal(rows.Length, buffer.RowCount);
        return (buffer.Flush(), malformed);
    }

    private static IArrowArray Column(RecordBatch batch, string name) => batch.Column(batch.Schema.GetFieldIndex(name));

    private static string? Text(RecordBatch batch, string name, int row = 0) => ((StringArray)Column(batch, name)).GetString(row);

    private static IArrowArray Field(RecordBatch batch, string column, string field)
    {
        var array = (StructArray)Column(batch, column);
        var type = (Apache.Arrow.Types.StructType)array.Data.DataType;
        return array.Fields[type.GetFieldIndex(field)];
    }

    [Fact]
    public void Writes_the_envelope_flattened_properties_and_the_extra_members_without_any_secret()
    {
        var (batch, _) = Read("azure_compute_virtual_machines", VmRow);
        var table = TableCatalog.Default.Find("azure_compute_virtual_machines")!;
        Assert.Equal(table.Columns.Count, batch.ColumnCount);

        Assert.Equal("vm1", Text(batch, "name"));
        Assert.Equal("microsoft.compute/virtualmachines", Text(batch, "type"));
        Assert.Equal(Subscription, Text(batch, "account_id"));
        Assert.Equal("global", Text(batch, "region"));
        Assert.Equal("Succeeded", Text(batch, "provisioning_state"));
        Assert.Equal("Standard_D2s_v3", ((StringArray)Field(batch, "hardware_profile", "vm_size")).GetString(0));
        Assert.Equal("vm1", ((StringArray)Field(batch, "os_profile", "computer_name")).GetString(0));
        // zones: a number in a list of strings is its text (lossless).
        var zones = (ListArray)Column(batch, "zones");
        Assert.Equal(["1", "2"], Enumerable.Range(0, zones.GetValueLength(0)).Select(i => ((StringArray)zones.Values).GetString(zones.ValueOffsets[0] + i)));
        // tags: a map, the secret-named tag left out, a number as its text.
        var tags = (MapArray)Column(batch, "tags");
        var keys = (StringArray)tags.Keys;
        var tagKeys = Enumerable.Range(tags.ValueOffsets[0], tags.GetValueLength(0)).Select(i => keys.GetString(i)).ToList();
        Assert.Equal(["env", "count"], tagKeys);

        // The member the model does not know goes to properties_extra, its secret-named parts left out; the model's
        // unstored members (userData, osProfile's password) are in no column.
        using var extra = JsonDocument.Parse(Text(batch, "properties_extra")!);
        Assert.Equal(["surpriseMember"], extra.RootElement.EnumerateObject().Select(p => p.Name));
        Assert.Equal(1.5, extra.RootElement.GetProperty("surpriseMember").GetProperty("nested").GetProperty("value").GetDouble());
        Assert.Equal(4, extra.RootElement.GetProperty("surpriseMember").GetProperty("list").GetArrayLength());
        Assert.Contains("/x/id1", ((StringArray)Field(batch, "identity", "user_assigned_identities")).GetString(0), StringComparison.Ordinal);

        for (var c = 0; c < batch.ColumnCount; c++)
        {
            Assert.DoesNotContain("planted-secret", AllText(batch.Column(c)), StringComparison.Ordinal);
        }
    }

    [Fact]
    public void The_catch_all_keeps_all_of_properties_as_json_scrubbed_by_the_rows_own_type_model()
    {
        var (batch, malformed) = Read("azure_resources", VmRow);
        var properties = Text(batch, "properties")!;
        using var json = JsonDocument.Parse(properties);
        Assert.Equal("azureuser", json.RootElement.GetProperty("osProfile").GetProperty("adminUsername").GetString());
        Assert.True(json.RootElement.TryGetProperty("surpriseMember", out _));
        Assert.Equal("not-a-number", json.RootElement.GetProperty("platformFaultDomain").GetString());
        Assert.DoesNotContain("planted-secret", properties, StringComparison.Ordinal);
        Assert.DoesNotContain("planted-secret", AllText(Column(batch, "tags")), StringComparison.Ordinal);
        // JSON columns take any value: only the sku's capacity, a struct field, does not fit.
        Assert.Equal(["sku"], malformed.Select(m => m.MemberPath));
    }

    [Fact]
    public void A_value_that_does_not_fit_its_column_is_null_and_reported_and_the_row_stays_whole()
    {
        var second = VmRow.Replace("\"not-a-number\"", "\"7\"", StringComparison.Ordinal).Replace("\"two\"", "3", StringComparison.Ordinal).Replace("vm1", "vm2", StringComparison.Ordinal);
        var (batch, malformed) = Read("azure_compute_virtual_machines", VmRow, second);

        Assert.Equal(2, batch.Length);
        var fault = (Int64Array)Column(batch, "platform_fault_domain");
        Assert.True(fault.IsNull(0));
        Assert.Equal(7, fault.GetValue(1)); // text that is a whole number converts without loss
        var capacity = (Int64Array)Field(batch, "sku", "capacity");
        Assert.True(capacity.IsNull(0));
        Assert.Equal(3, capacity.GetValue(1));
        Assert.Equal("Standard_D2s_v3", ((StringArray)Field(batch, "sku", "name")).GetString(0));
        Assert.Equal(["properties.platformFaultDomain", "sku"], malformed.Select(m => m.MemberPath).Order(StringComparer.Ordinal));
        var bad = malformed.Single(m => m.MemberPath == "properties.platformFaultDomain");
        Assert.Equal(("int64", "\"not-a-number\""), (bad.Type, bad.Text));
        Assert.Equal(("vm1", "vm2"), (Text(batch, "name", 0), Text(batch, "name", 1)));
    }

    // Every string anywhere in an array (nested fields, lists and maps included).
    private static string AllText(IArrowArray array) => array switch
    {
        StringArray s => string.Join('|', Enumerable.Range(0, s.Length).Select(i => s.GetString(i))),
        StructArray s => string.Join('|', s.Fields.Select(AllText)),
        MapArray m => AllText(m.Keys) + "|" + AllText(m.Values),
        ListArray l => AllText(l.Values),
        _ => "",
    };
    [Fact]
    public void A_nested_row_takes_its_own_id_name_and_properties_and_its_parents_subscription_group_and_location()
    {
        const string vnet = """
            {"id":"/subscriptions/00000000-0000-0000-0000-0000000000aa/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/vnet1",
             "name":"vnet1","type":"microsoft.network/virtualnetworks","tenantId":"t1","subscriptionId":"00000000-0000-0000-0000-0000000000aa",
             "resourceGroup":"rg","location":"westeurope","tags":{"env":"prod"},
             "properties":{"subnets":[
               {"id":"/subscriptions/00000000-0000-0000-0000-0000000000aa/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/vnet1/subnets/apps",
                "name":"apps","type":"Microsoft.Network/virtualNetworks/subnets","etag":"W/\"1\"",
                "properties":{"addressPrefix":"10.0.1.0/24","networkSecurityGroup":{"id":"/x/nsg1"},"somethingNew":{"a":1}}},
               {"name":"no-id","properties":{"addressPrefix":"10.0.2.0/24"}}]}}
            """;
        var table = TableCatalog.Default.Find("azure_network_virtual_networks_subnets")!;
        var buffer = new TableRowBuffer(table);
        var reader = new AzureRowReader(table, AzureModelBundle.Default, buffer);
        using var document = JsonDocument.Parse(vnet);
        var parent = document.RootElement;
        foreach (var item in parent.GetProperty("properties").GetProperty("subnets").EnumerateArray()) reader.WriteNested(item, parent, Subscription, ReportTime, null);
        Assert.Equal(2, buffer.RowCount);
        var batch = buffer.Flush();

        Assert.Equal(parent.GetProperty("id").GetString() + "/subnets/apps", Text(batch, "id"));
        Assert.Equal(parent.GetProperty("id").GetString() + "/subnets/no-id", Text(batch, "id", 1));
        Assert.Equal(("apps", "no-id"), (Text(batch, "name"), Text(batch, "name", 1)));
        Assert.All(new[] { 0, 1 }, i =>
        {
            Assert.Equal("microsoft.network/virtualnetworks/subnets", Text(batch, "type", i));
            Assert.Equal(("rg", "westeurope", "t1", Subscription), (Text(batch, "resource_group", i), Text(batch, "location", i), Text(batch, "tenant_id", i), Text(batch, "subscription_id", i)));
            Assert.Equal(Subscription, Text(batch, "account_id", i));
        });
        Assert.Equal(("10.0.1.0/24", "10.0.2.0/24"), (Text(batch, "address_prefix"), Text(batch, "address_prefix", 1)));
        Assert.Equal("/x/nsg1", ((StringArray)Field(batch, "network_security_group", "id")).GetString(0));
        Assert.Contains("somethingNew", Text(batch, "properties_extra"), StringComparison.Ordinal);
        // The parent's tags are its own, not the subnet's.
        Assert.True(Column(batch, "tags").IsNull(0));
    }
}
