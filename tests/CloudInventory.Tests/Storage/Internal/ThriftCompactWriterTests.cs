using System.Buffers.Binary;
using System.Text.Json.Nodes;
using CloudInventory.Catalog;
using CloudInventory.Storage;
using CloudInventory.Storage.Internal;
using CloudInventory.Tests.Storage;

namespace CloudInventory.Tests.Storage.Internal;

public class ThriftCompactWriterTests
{
    [Fact]
    public void Encodes_field_headers_as_deltas_and_falls_back_to_the_long_form()
    {
        var bytes = Write(w =>
        {
            w.BeginStruct();
            w.WriteFieldHeader(1, ThriftType.I32);
            w.WriteI32(-3);
            w.WriteBoolField(2, true);
            w.WriteBoolField(3, false);
            w.WriteFieldHeader(20, ThriftType.I64); // delta 17: long form
            w.WriteI64(300);
            w.WriteFieldHeader(5, ThriftType.I16); // going back: long form
            w.WriteI16(-1);
            w.EndStruct();
        });
        Assert.Equal(new byte[]
        {
            0x15, 0x05,             // field 1 i32, zigzag(-3) = 5
            0x11,                   // field 2 true
            0x12,                   // field 3 false
            0x06, 0x28, 0xD8, 0x04, // field 20 i64 long form: id zigzag(20) = 40, zigzag(300) = 600
            0x04, 0x0A, 0x01,       // field 5 i16 long form: id zigzag(5) = 10, zigzag(-1) = 1
            0x00,
        }, bytes);
    }

    [Fact]
    public void Encodes_lists_maps_binaries_doubles_and_nested_structs()
    {
        var bytes = Write(w =>
        {
            w.BeginStruct();
            w.WriteFieldHeader(1, ThriftType.List);
            w.WriteListHeader(ThriftType.I32, 2);
            w.WriteI32(1);
            w.WriteI32(2);
            w.WriteFieldHeader(2, ThriftType.List);
            w.WriteListHeader(ThriftType.I8, 15); // long form from 15 elements
            for (var i = 0; i < 15; i++) w.WriteI8((sbyte)-i);
            w.WriteFieldHeader(3, ThriftType.Map);
            w.WriteMapHeader(ThriftType.Binary, ThriftType.BoolTrue, 1);
            w.WriteBinary("k"u8);
            w.WriteBoolElement(false);
            w.WriteFieldHeader(4, ThriftType.Map);
            w.WriteMapHeader(ThriftType.Binary, ThriftType.I32, 0);
            w.WriteFieldHeader(5, ThriftType.Struct);
            w.BeginStruct();
            w.WriteFieldHeader(7, ThriftType.Double);
            w.WriteDouble(1.5);
            w.EndStruct();
            w.WriteFieldHeader(6, ThriftType.Binary); // delta from 5, not from the nested struct's 7
            w.WriteBinary("ab"u8);
            w.EndStruct();
        });
        byte[] expected =
        [
            0x19, 0x25, 0x02, 0x04,
            0x19, 0xF3, 0x0F, 0x00, 0xFF, 0xFE, 0xFD, 0xFC, 0xFB, 0xFA, 0xF9, 0xF8, 0xF7, 0xF6, 0xF5, 0xF4, 0xF3, 0xF2,
            0x1B, 0x01, 0x81, 0x01, (byte)'k', 0x00,
            0x1B, 0x00,
            0x1C, 0x77, 0, 0, 0, 0, 0, 0, 0xF8, 0x3F, 0x00,
            0x18, 0x02, (byte)'a', (byte)'b',
            0x00,
        ];
        Assert.Equal(expected, bytes);

        var reader = new ThriftCompactReader(bytes, 0, bytes.Length);
        reader.BeginStruct();
        Assert.True(reader.ReadFieldHeader(out var id, out var type));
        Assert.Equal((1, ThriftType.List), (id, type));
        Assert.Equal((ThriftType.I32, 2), reader.ReadListHeader());
        Assert.Equal(1, reader.ReadI32());
        Assert.Equal(2, reader.ReadI32());
        Assert.True(reader.ReadFieldHeader(out id, out type));
        Assert.Equal((2, ThriftType.List), (id, type));
        Assert.Equal((ThriftType.I8, 15), reader.ReadListHeader());
        for (var i = 0; i < 15; i++) Assert.Equal(-i, reader.ReadI8());
        Assert.True(reader.ReadFieldHeader(out id, out type));
        Assert.Equal((ThriftType.Binary, ThriftType.BoolTrue, 1), reader.ReadMapHeader());
        Assert.Equal("k"u8.ToArray(), reader.ReadBinary().ToArray());
        Assert.False(reader.ReadBoolElement());
        Assert.True(reader.ReadFieldHeader(out id, out type));
        Assert.Equal((ThriftType.Stop, ThriftType.Stop, 0), reader.ReadMapHeader());
        Assert.True(reader.ReadFieldHeader(out id, out type));
        Assert.Equal((5, ThriftType.Struct), (id, type));
        reader.BeginStruct();
        Assert.True(reader.ReadFieldHeader(out id, out type));
        Assert.Equal((7, ThriftType.Double), (id, type));
        Assert.Equal(1.5, reader.ReadDouble());
        Assert.False(reader.ReadFieldHeader(out _, out _));
        reader.EndStruct();
        Assert.True(reader.ReadFieldHeader(out id, out type));
        Assert.Equal((6, ThriftType.Binary), (id, type));
        Assert.Equal("ab"u8.ToArray(), reader.ReadBinary().ToArray());
        Assert.False(reader.ReadFieldHeader(out _, out _));
        reader.EndStruct();
        Assert.Equal(bytes.Length, reader.Position);

        // Skipping the whole struct lands on the same end.
        var skipper = new ThriftCompactReader(bytes, 0, bytes.Length);
        skipper.SkipValue(ThriftType.Struct);
        Assert.Equal(bytes.Length, skipper.Position);
    }

    [Theory]
    [InlineData(0L)]
    [InlineData(-1L)]
    [InlineData(63L)]
    [InlineData(-64L)]
    [InlineData(64L)]
    [InlineData(long.MaxValue)]
    [InlineData(long.MinValue)]
    public void Round_trips_i64_values_through_zigzag_varints(long value)
    {
        var bytes = Write(w => w.WriteI64(value));
        Assert.Equal(value, new ThriftCompactReader(bytes, 0, bytes.Length).ReadI64());
    }

    [Fact]
    public void Rewrites_a_real_parquet_footer_value_by_value_to_the_same_bytes()
    {
        var table = TableCatalog.Default.Find("aws_ec2_instances")!;
        using var dir = new TestDirectory();
        var path = dir.Combine("footer.parquet");
        using (var sink = new ParquetSink(table, path, new ParquetSinkOptions { RowGroupRows = 7 }))
        {
            for (var i = 0; i < 20; i++) sink.Append(SampleValues.Row(table.Columns, i));
            sink.Complete();
        }
        var footer = Footer(File.ReadAllBytes(path));

        var copy = new MemoryStream();
        var writer = new ThriftCompactWriter(copy);
        var reader = new ThriftCompactReader(footer, 0, footer.Length);
        writer.CopyStruct(reader);

        Assert.Equal(footer.Length, reader.Position);
        Assert.Equal(footer.Length, writer.BytesWritten);
        Assert.Equal(footer, copy.ToArray());
        // A real footer with statistics, nested columns and key-value metadata: not a trivial structure.
        Assert.True(footer.Length > 10_000, $"{footer.Length} bytes");
    }

    [Fact]
    public void Keeps_boolean_list_elements_as_written()
    {
        // A list<bool> whose false is encoded as 2, as some writers do, then a list with element type 1.
        byte[] bytes = [0x19, 0x22, 0x01, 0x02, 0x19, 0x11, 0x00, 0x00];
        var copy = new MemoryStream();
        new ThriftCompactWriter(copy).CopyStruct(new ThriftCompactReader(bytes, 0, bytes.Length));
        Assert.Equal(bytes, copy.ToArray());
    }

    internal static byte[] Footer(byte[] file)
    {
        var length = BinaryPrimitives.ReadInt32LittleEndian(file.AsSpan(file.Length - 8));
        return file.AsSpan(file.Length - 8 - length, length).ToArray();
    }

    private static byte[] Write(Action<ThriftCompactWriter> write)
    {
        var stream = new MemoryStream();
        var writer = new ThriftCompactWriter(stream);
        write(writer);
        Assert.Equal(stream.Length, writer.BytesWritten);
        return stream.ToArray();
    }
}
