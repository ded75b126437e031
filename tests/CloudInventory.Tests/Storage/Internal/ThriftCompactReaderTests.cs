using CloudInventory.Storage.Internal;

namespace CloudInventory.Tests.Storage.Internal;

public class ThriftCompactReaderTests
{
    public static TheoryData<byte[]> Malformed() => new()
    {
        { new byte[] { 0x15 } },                         // i32 field without its value
        { new byte[] { 0x15, 0x80, 0x80 } },             // unfinished varint
        { new byte[] { 0x18, 0x05, (byte)'a' } },        // binary longer than the data
        { new byte[] { 0x19, 0xF5, 0xFF, 0xFF, 0x7F } }, // list of far more elements than bytes
        { new byte[] { 0x1E } },                         // type code 14
        { new byte[] { 0x16, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01, 0x00 } }, // 11-byte varint
        { new byte[] { 0x1C, 0x15, 0x02 } },             // nested struct without its stop
    };

    [Theory]
    [MemberData(nameof(Malformed))]
    public void Refuses_truncated_or_malformed_data(byte[] bytes)
    {
        var reader = new ThriftCompactReader(bytes, 0, bytes.Length);
        Assert.Throws<InvalidDataException>(() => reader.SkipValue(ThriftType.Struct));
    }

    [Fact]
    public void Refuses_structures_nested_without_end()
    {
        var bytes = Enumerable.Repeat((byte)0x1C, 10_000).ToArray(); // field 1 struct, inside field 1 struct, ...
        var reader = new ThriftCompactReader(bytes, 0, bytes.Length);
        var e = Assert.Throws<InvalidDataException>(() => reader.SkipValue(ThriftType.Struct));
        Assert.Contains("nested", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Reads_only_its_range_of_the_buffer()
    {
        byte[] bytes = [0xAA, 0x15, 0x04, 0x00, 0xBB];
        var reader = new ThriftCompactReader(bytes, 1, 3);
        reader.BeginStruct();
        Assert.True(reader.ReadFieldHeader(out var id, out var type));
        Assert.Equal((1, ThriftType.I32), (id, type));
        Assert.Equal(2, reader.ReadI32());
        Assert.False(reader.ReadFieldHeader(out _, out _));
        Assert.Equal(4, reader.Position);
        Assert.Throws<InvalidDataException>(() => new ThriftCompactReader(bytes, 1, 2).SkipValue(ThriftType.Struct));
    }
}
