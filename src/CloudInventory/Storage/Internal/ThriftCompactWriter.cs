using System.Buffers.Binary;

namespace CloudInventory.Storage.Internal;

/// <summary>
/// Writes values with the Thrift compact protocol to a stream, as Apache Thrift's own writers do (short field
/// headers for id deltas of 1 to 15, short list headers below 15 elements), so that a structure read with
/// <see cref="ThriftCompactReader"/> and written back field by field gives the same bytes. Raw bytes of a value
/// read elsewhere can be written after a field header (<see cref="WriteRaw"/>): a value's encoding does not depend
/// on what precedes it.
/// </summary>
internal sealed class ThriftCompactWriter
{
    private readonly Stream _stream;
    private readonly Stack<short> _enclosingFieldIds = new();
    private short _lastFieldId;

    public ThriftCompactWriter(Stream stream) => _stream = stream ?? throw new ArgumentNullException(nameof(stream));

    /// <summary>The bytes written through this writer so far.</summary>
    public long BytesWritten { get; private set; }

    /// <summary>Starts writing the fields of a struct.</summary>
    public void BeginStruct()
    {
        _enclosingFieldIds.Push(_lastFieldId);
        _lastFieldId = 0;
    }

    /// <summary>Writes the stop field of the current struct.</summary>
    public void EndStruct()
    {
        WriteByte(0);
        _lastFieldId = _enclosingFieldIds.Pop();
    }

    /// <summary>
    /// Writes a field header; the field's value follows (none for <see cref="ThriftType.BoolTrue"/> and
    /// <see cref="ThriftType.BoolFalse"/>, which are the value).
    /// </summary>
    public void WriteFieldHeader(short id, ThriftType type)
    {
        if (type is ThriftType.Stop or > ThriftType.Uuid) throw new ArgumentOutOfRangeException(nameof(type));
        if (id > _lastFieldId && id - _lastFieldId <= 15)
        {
            WriteByte((byte)((id - _lastFieldId) << 4 | (byte)type));
        }
        else
        {
            WriteByte((byte)type);
            WriteI16(id);
        }
        _lastFieldId = id;
    }

    public void WriteBoolField(short id, bool value) => WriteFieldHeader(id, value ? ThriftType.BoolTrue : ThriftType.BoolFalse);

    public void WriteI8(sbyte value) => WriteByte(unchecked((byte)value));

    public void WriteI16(short value) => WriteZigZag(value);

    public void WriteI32(int value) => WriteZigZag(value);

    public void WriteI64(long value) => WriteZigZag(value);

    public void WriteDouble(double value)
    {
        Span<byte> bytes = stackalloc byte[8];
        BinaryPrimitives.WriteDoubleLittleEndian(bytes, value);
        WriteBytes(bytes);
    }

    public void WriteBinary(ReadOnlySpan<byte> value)
    {
        WriteVarint((ulong)value.Length);
        WriteBytes(value);
    }

    /// <summary>Writes a boolean element of a list, set or map (1 for true, 0 for false).</summary>
    public void WriteBoolElement(bool value) => WriteByte(value ? (byte)1 : (byte)0);

    public void WriteListHeader(ThriftType elementType, int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        if (count < 15)
        {
            WriteByte((byte)(count << 4 | (byte)elementType));
        }
        else
        {
            WriteByte((byte)(0xF0 | (byte)elementType));
            WriteVarint((ulong)count);
        }
    }

    public void WriteMapHeader(ThriftType keyType, ThriftType valueType, int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        WriteVarint((ulong)count);
        if (count > 0) WriteByte((byte)((byte)keyType << 4 | (byte)valueType));
    }

    /// <summary>Writes bytes as they are: the encoded value of a field whose header was just written, or several values.</summary>
    public void WriteRaw(ReadOnlySpan<byte> bytes) => WriteBytes(bytes);

    /// <summary>
    /// Reads the struct at the reader's position and writes it back value by value (not as raw bytes): every field,
    /// nested struct, container and scalar goes through this writer.
    /// </summary>
    public void CopyStruct(ThriftCompactReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        reader.BeginStruct();
        BeginStruct();
        while (reader.ReadFieldHeader(out var id, out var type))
        {
            WriteFieldHeader(id, type);
            if (type is not (ThriftType.BoolTrue or ThriftType.BoolFalse)) CopyElement(reader, type);
        }
        reader.EndStruct();
        EndStruct();
    }

    private void CopyElement(ThriftCompactReader reader, ThriftType type)
    {
        switch (type)
        {
            case ThriftType.BoolTrue or ThriftType.BoolFalse:
                // Written back as read: some writers encode false as 2.
                WriteRaw(CopyOf(reader, r => r.SkipElement(type)));
                break;
            case ThriftType.I8:
                WriteI8(reader.ReadI8());
                break;
            case ThriftType.I16:
                WriteI16(reader.ReadI16());
                break;
            case ThriftType.I32:
                WriteI32(reader.ReadI32());
                break;
            case ThriftType.I64:
                WriteI64(reader.ReadI64());
                break;
            case ThriftType.Double:
                WriteDouble(reader.ReadDouble());
                break;
            case ThriftType.Binary:
                WriteBinary(reader.ReadBinary());
                break;
            case ThriftType.Uuid:
                WriteRaw(CopyOf(reader, r => r.SkipElement(ThriftType.Uuid)));
                break;
            case ThriftType.List or ThriftType.Set:
            {
                var (elementType, count) = reader.ReadListHeader();
                WriteListHeader(elementType, count);
                for (var i = 0; i < count; i++) CopyElement(reader, elementType);
                break;
            }
            case ThriftType.Map:
            {
                var (keyType, valueType, count) = reader.ReadMapHeader();
                WriteMapHeader(keyType, valueType, count);
                for (var i = 0; i < count; i++)
                {
                    CopyElement(reader, keyType);
                    CopyElement(reader, valueType);
                }
                break;
            }
            case ThriftType.Struct:
                CopyStruct(reader);
                break;
            default:
                throw new InvalidDataException($"unexpected Thrift type {type}");
        }
    }

    private static ReadOnlySpan<byte> CopyOf(ThriftCompactReader reader, Action<ThriftCompactReader> read)
    {
        var start = reader.Position;
        read(reader);
        return reader.ReadSince(start);
    }

    private void WriteByte(byte value)
    {
        _stream.WriteByte(value);
        BytesWritten++;
    }

    private void WriteBytes(ReadOnlySpan<byte> bytes)
    {
        _stream.Write(bytes);
        BytesWritten += bytes.Length;
    }

    private void WriteZigZag(long value) => WriteVarint((ulong)((value << 1) ^ (value >> 63)));

    private void WriteVarint(ulong value)
    {
        Span<byte> bytes = stackalloc byte[10];
        var length = 0;
        while (value >= 0x80)
        {
            bytes[length++] = (byte)(value | 0x80);
            value >>= 7;
        }
        bytes[length++] = (byte)value;
        WriteBytes(bytes[..length]);
    }
}
