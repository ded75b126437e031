using System.Text.Json.Nodes;
using Apache.Arrow;
using Apache.Arrow.Types;
using CloudInventory.Catalog;
using CloudInventory.Storage;
using Column = CloudInventory.Catalog.Column;

namespace CloudInventory.Tests.Storage;

public class TableRowBufferTests
{
    private static Column Col(string name, ColumnType type) => new(name, type, ColumnOrigin.Api, null);

    private static readonly ColumnType PlacementType = ColumnType.Struct([
        new StructField("availability_zone", "AvailabilityZone", ColumnType.String),
        new StructField("tenancy", "Tenancy", ColumnType.String),
    ]);

    [Fact]
    public void Maps_every_column_kind_to_its_arrow_type()
    {
        var buffer = new TableRowBuffer([
            Col("s", ColumnType.String), Col("i", ColumnType.Int32), Col("l", ColumnType.Int64), Col("d", ColumnType.Double),
            Col("b", ColumnType.Bool), Col("t", ColumnType.Timestamp), Col("bin", ColumnType.Binary), Col("j", ColumnType.Json),
            Col("st", PlacementType), Col("li", ColumnType.List(ColumnType.String)), Col("m", ColumnType.StringMap),
        ]);
        var types = buffer.Schema.FieldsList.Select(f => f.DataType).ToList();
        Assert.IsType<StringType>(types[0]);
        Assert.IsType<Int32Type>(types[1]);
        Assert.IsType<Int64Type>(types[2]);
        Assert.IsType<DoubleType>(types[3]);
        Assert.IsType<BooleanType>(types[4]);
        var ts = Assert.IsType<TimestampType>(types[5]);
        Assert.Equal(TimeUnit.Millisecond, ts.Unit);
        Assert.Equal("UTC", ts.Timezone);
        Assert.IsType<BinaryType>(types[6]);
        Assert.IsType<StringType>(types[7]);
        var st = Assert.IsType<StructType>(types[8]);
        Assert.Equal(["availability_zone", "tenancy"], st.Fields.Select(f => f.Name));
        Assert.IsType<StringType>(Assert.IsType<ListType>(types[9]).ValueDataType);
        var map = Assert.IsType<MapType>(types[10]);
        Assert.IsType<StringType>(map.KeyField.DataType);
        Assert.False(map.KeyField.IsNullable);
        Assert.IsType<StringType>(map.ValueField.DataType);
    }

    [Fact]
    public void Accumulates_primitive_values_column_wise()
    {
        var buffer = new TableRowBuffer([
            Col("s", ColumnType.String), Col("i", ColumnType.Int32), Col("l", ColumnType.Int64), Col("d", ColumnType.Double),
            Col("b", ColumnType.Bool), Col("t", ColumnType.Timestamp), Col("bin", ColumnType.Binary), Col("j", ColumnType.Json),
        ]);
        var when = new DateTimeOffset(2026, 11, 25, 14, 30, 15, 123, TimeSpan.Zero);
        buffer.Append([JsonValue.Create("héllo"), JsonValue.Create(7), JsonValue.Create(1L << 40), JsonValue.Create(2.5),
            JsonValue.Create(true), JsonValue.Create(when), JsonValue.Create(new byte[] { 1, 2, 255 }), JsonNode.Parse("""{"a":[1,"<é>"]}""")]);
        buffer.Append([null, null, null, null, null, null, null, null]);
        buffer.Append([JsonValue.Create(""), JsonValue.Create(-1), JsonValue.Create(0L), JsonValue.Create(-0.25),
            JsonValue.Create(false), JsonValue.Create(when.AddDays(1)), JsonValue.Create(System.Array.Empty<byte>()), JsonValue.Create("text")]);

        Assert.Equal(3, buffer.RowCount);
        using var batch = buffer.Flush();
        Assert.Equal(0, buffer.RowCount);
        Assert.Equal(3, batch.Length);

        var s = (StringArray)batch.Column(0);
        Assert.Equal(["héllo", null, ""], Enumerable.Range(0, 3).Select(i => s.GetString(i)));
        var i32 = (Int32Array)batch.Column(1);
        Assert.Equal([7, null, -1], Enumerable.Range(0, 3).Select(i => i32.GetValue(i)));
        var i64 = (Int64Array)batch.Column(2);
        Assert.Equal([1L << 40, null, 0L], Enumerable.Range(0, 3).Select(i => i64.GetValue(i)));
        var dbl = (DoubleArray)batch.Column(3);
        Assert.Equal([2.5, null, -0.25], Enumerable.Range(0, 3).Select(i => dbl.GetValue(i)));
        var bools = (BooleanArray)batch.Column(4);
        Assert.Equal([true, null, false], Enumerable.Range(0, 3).Select(i => bools.GetValue(i)));
        var ts = (TimestampArray)batch.Column(5);
        Assert.Equal([when.ToUnixTimeMilliseconds(), null, when.AddDays(1).ToUnixTimeMilliseconds()], Enumerable.Range(0, 3).Select(i => ts.GetValue(i)));
        var bin = (BinaryArray)batch.Column(6);
        Assert.Equal(new byte[] { 1, 2, 255 }, bin.GetBytes(0).ToArray());
        Assert.True(bin.IsNull(1));
        Assert.True(bin.IsValid(2));
        Assert.Equal(0, bin.GetBytes(2).Length);
        var json = (StringArray)batch.Column(7);
        Assert.Equal("""{"a":[1,"<é>"]}""", json.GetString(0));
        Assert.Null(json.GetString(1));
        Assert.Equal("\"text\"", json.GetString(2));
        Assert.Equal(0, buffer.RejectedValues);
    }

    [Fact]
    public void Converts_lossless_values_and_stores_the_rest_as_null_counted()
    {
        var buffer = new TableRowBuffer([Col("i", ColumnType.Int32), Col("d", ColumnType.Double), Col("s", ColumnType.String),
            Col("t", ColumnType.Timestamp), Col("b", ColumnType.Bool), Col("bin", ColumnType.Binary)]);
        // Convertible: text and parsed numbers, an ISO string, epoch seconds, "true", base64.
        buffer.Append([JsonValue.Create("42"), JsonNode.Parse("3"), JsonValue.Create(12.5m), JsonValue.Create("2026-01-02T03:04:05.678Z"),
            JsonValue.Create("true"), JsonValue.Create("AQL/")]);
        buffer.Append([JsonNode.Parse("7.0"), JsonValue.Create("1e3"), JsonValue.Create(false), JsonNode.Parse("1700000000.5"),
            JsonNode.Parse("false"), JsonNode.Parse("\"AQL/\"")]);
        Assert.Equal(0, buffer.RejectedValues);
        // Not convertible without loss: a fraction and an out-of-range number into int32, words into numbers,
        // an object into a string, a word into a timestamp, a number into a bool, non-base64 into binary.
        buffer.Append([JsonValue.Create(1.5), JsonValue.Create("abc"), new JsonObject { ["a"] = 1 }, JsonValue.Create("yesterday"),
            JsonValue.Create(1), JsonValue.Create("not base64!")]);
        buffer.Append([JsonValue.Create(3_000_000_000L), new JsonArray(), new JsonArray(1), JsonValue.Create(true), JsonValue.Create("maybe"), JsonValue.Create(5)]);
        Assert.Equal(12, buffer.RejectedValues);
        Assert.Equal(2, buffer.RejectedValuesOf(0));

        using var batch = buffer.Flush();
        var i32 = (Int32Array)batch.Column(0);
        Assert.Equal([42, 7, null, null], Enumerable.Range(0, 4).Select(i => i32.GetValue(i)));
        var dbl = (DoubleArray)batch.Column(1);
        Assert.Equal([3d, 1000d, null, null], Enumerable.Range(0, 4).Select(i => dbl.GetValue(i)));
        var s = (StringArray)batch.Column(2);
        Assert.Equal(["12.5", "false", null, null], Enumerable.Range(0, 4).Select(i => s.GetString(i)));
        var ts = (TimestampArray)batch.Column(3);
        Assert.Equal(DateTimeOffset.Parse("2026-01-02T03:04:05.678Z", System.Globalization.CultureInfo.InvariantCulture).ToUnixTimeMilliseconds(), ts.GetValue(0));
        Assert.Equal(1_700_000_000_500L, ts.GetValue(1));
        Assert.True(ts.IsNull(2));
        var b = (BooleanArray)batch.Column(4);
        Assert.Equal([true, false, null, null], Enumerable.Range(0, 4).Select(i => b.GetValue(i)));
        var bin = (BinaryArray)batch.Column(5);
        Assert.Equal(new byte[] { 1, 2, 255 }, bin.GetBytes(0).ToArray());
        Assert.Equal(new byte[] { 1, 2, 255 }, bin.GetBytes(1).ToArray());
        Assert.True(bin.IsNull(2));
    }

    [Fact]
    public void Accumulates_nested_structs_lists_and_maps()
    {
        var interfaces = ColumnType.List(ColumnType.Struct([
            new StructField("network_interface_id", "NetworkInterfaceId", ColumnType.String),
            new StructField("private_ips", "PrivateIps", ColumnType.List(ColumnType.String)),
            new StructField("attachment", "Attachment", ColumnType.Struct([
                new StructField("device_index", "DeviceIndex", ColumnType.Int32),
                new StructField("attach_time", "AttachTime", ColumnType.Timestamp)])),
        ]));
        var buffer = new TableRowBuffer([Col("placement", PlacementType), Col("interfaces", interfaces), Col("tags", ColumnType.StringMap),
            Col("counts", ColumnType.Map(ColumnType.String, ColumnType.Int64))]);
        var attached = new DateTimeOffset(2025, 5, 6, 7, 8, 9, TimeSpan.Zero);

        // API member names and snake_case names are both accepted as struct keys.
        buffer.Append([
            new JsonObject { ["AvailabilityZone"] = "eu-west-1a", ["Tenancy"] = "default", ["Unknown"] = 1 },
            new JsonArray(
                new JsonObject { ["NetworkInterfaceId"] = "eni-1", ["PrivateIps"] = new JsonArray("10.0.0.1", "10.0.0.2"),
                    ["Attachment"] = new JsonObject { ["DeviceIndex"] = 0, ["AttachTime"] = JsonValue.Create(attached) } },
                null,
                new JsonObject { ["network_interface_id"] = "eni-2", ["private_ips"] = new JsonArray() }),
            new JsonObject { ["Name"] = "web", ["env"] = "prod" },
            new JsonObject { ["a"] = 1, ["b"] = null },
        ]);
        buffer.Append([null, null, null, null]);
        buffer.Append([new JsonObject { ["availability_zone"] = "eu-west-1b" }, new JsonArray(), new JsonObject(), JsonValue.Create("not a map")]);

        using var batch = buffer.Flush();
        Assert.Equal(1, buffer.RejectedValues);

        var placement = (StructArray)batch.Column(0);
        var az = (StringArray)placement.Fields[0];
        var tenancy = (StringArray)placement.Fields[1];
        Assert.Equal(["eu-west-1a", null, "eu-west-1b"], Enumerable.Range(0, 3).Select(i => placement.IsNull(i) ? null : az.GetString(i)));
        Assert.True(placement.IsNull(1));
        Assert.Equal("default", tenancy.GetString(0));
        Assert.True(tenancy.IsNull(2));

        var list = (ListArray)batch.Column(1);
        Assert.Equal(3, list.GetValueLength(0));
        Assert.True(list.IsNull(1));
        Assert.Equal(0, list.GetValueLength(2));
        Assert.False(list.IsNull(2));
        var elements = (StructArray)list.Values;
        Assert.Equal(3, elements.Length);
        Assert.Equal("eni-1", ((StringArray)elements.Fields[0]).GetString(0));
        Assert.True(elements.IsNull(1));
        Assert.Equal("eni-2", ((StringArray)elements.Fields[0]).GetString(2));
        var ips = (ListArray)elements.Fields[1];
        var ipValues = (StringArray)ips.Values;
        Assert.Equal(["10.0.0.1", "10.0.0.2"], Enumerable.Range(ips.ValueOffsets[0], ips.GetValueLength(0)).Select(i => ipValues.GetString(i)));
        Assert.Equal(0, ips.GetValueLength(2));
        var attachment = (StructArray)elements.Fields[2];
        Assert.Equal(0, ((Int32Array)attachment.Fields[0]).GetValue(0));
        Assert.Equal(attached.ToUnixTimeMilliseconds(), ((TimestampArray)attachment.Fields[1]).GetValue(0));
        Assert.True(attachment.IsNull(2));

        var tags = (MapArray)batch.Column(2);
        var keys = (StringArray)tags.Keys;
        var values = (StringArray)tags.Values;
        Assert.Equal(2, tags.GetValueLength(0));
        Assert.Equal(["Name", "env"], [keys.GetString(0), keys.GetString(1)]);
        Assert.Equal(["web", "prod"], [values.GetString(0), values.GetString(1)]);
        Assert.True(tags.IsNull(1));
        Assert.Equal(0, tags.GetValueLength(2));
        var counts = (MapArray)batch.Column(3);
        Assert.Equal(1L, ((Int64Array)counts.Values).GetValue(0));
        Assert.True(counts.Values.IsNull(1));
        Assert.True(counts.IsNull(2));
    }

    [Fact]
    public void Starts_empty_after_a_flush()
    {
        var buffer = new TableRowBuffer([Col("s", ColumnType.String), Col("l", ColumnType.List(ColumnType.Int64))]);
        buffer.Append([JsonValue.Create("a"), new JsonArray(1, 2)]);
        Assert.True(buffer.BufferedBytes > 0);
        using (buffer.Flush()) { }
        Assert.Equal(0, buffer.RowCount);
        buffer.Append([JsonValue.Create("b"), new JsonArray(3)]);
        using var batch = buffer.Flush();
        Assert.Equal(1, batch.Length);
        Assert.Equal("b", ((StringArray)batch.Column(0)).GetString(0));
        var list = (ListArray)batch.Column(1);
        Assert.Equal(1, list.Values.Length);
        Assert.Equal(3L, ((Int64Array)list.Values).GetValue(0));
        using var empty = buffer.Flush();
        Assert.Equal(0, empty.Length);
    }

    [Fact]
    public void Rejects_a_row_of_the_wrong_width()
    {
        var buffer = new TableRowBuffer([Col("s", ColumnType.String), Col("i", ColumnType.Int32)]);
        Assert.Throws<ArgumentException>(() => buffer.Append([JsonValue.Create("a")]));
    }
}
