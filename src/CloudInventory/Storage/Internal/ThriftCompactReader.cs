using System.Buffers.Binary;

namespace CloudInventory.Storage.Internal;

/// <summary>
/// Reads values encoded with the Thrift compact protocol from a byte range, without a schema: the caller asks for
/// the value it expects from the field's type, or skips a value of any type (so unknown fields can be passed over
/// or copied as raw bytes, see <see cref="Position"/>). Malformed or truncated input throws
/// <see cref="InvalidDataException"/>.
/// </summary>
internal sealed class ThriftCompactReader
{
    // Deeper nesting than any Parquet footer has; it bounds the recursion of Skip on hostile input.
    private const int MaxDepth = 64;

    private readonly byte[] _buffer;
    private readonly int _end;
    private readonly Stack<short> _enclosingFieldIds = new();
    private int _position;
    private short _lastFieldId;

    public ThriftCompactReader(byte[] buffer, int offset, int count)
    {
        ArgumentNullException.ThrowIfNull(buffer);
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, buffer.Length - offset);
        _buffer = buffer;
        _position = offset;
        _end = offset + count;
    }

    /// <summary>The offset in the buffer of the next byte to read.</summary>
    public int Position => _position;

    /// <summary>The bytes of the buffer from <paramref name="start"/> up to <see cref="Position"/>.</summary>
    public ReadOnlySpan<byte> ReadSince(int start) => _buffer.AsSpan(start, _position - start);

    /// <summary>Starts reading the fields of a struct (field ids are encoded as deltas within a struct).</summary>
    public void BeginStruct()
    {
        if (_enclosingFieldIds.Count >= MaxDepth) throw new InvalidDataException("Thrift structures are nested too deeply");
        _enclosingFieldIds.Push(_lastFieldId);
        _lastFieldId = 0;
    }

    /// <summary>Ends a struct whose stop field has been read by <see cref="ReadFieldHeader"/>.</summary>
    public void EndStruct() => _lastFieldId = _enclosingFieldIds.Pop();

    /// <summary>Reads the next field header of the current struct; false at its stop field.</summary>
    public bool ReadFieldHeader(out short id, out ThriftType type)
    {
        var header = ReadByte();
        if (header == 0)
        {
            id = 0;
            type = ThriftType.Stop;
            return false;
        }
        type = CheckType((byte)(header & 0x0F));
        var delta = header >> 4;
        id = delta == 0 ? ReadI16() : checked((short)(_lastFieldId + delta));
        _lastFieldId = id;
        return true;
    }

    public sbyte ReadI8() => unchecked((sbyte)ReadByte());

    public short ReadI16()
    {
        var value = ReadZigZag();
        if (value is < short.MinValue or > short.MaxValue) throw new InvalidDataException("a Thrift i16 is out of range");
        return (short)value;
    }

    public int ReadI32()
    {
        var value = ReadZigZag();
        if (value is < int.MinValue or > int.MaxValue) throw new InvalidDataException("a Thrift i32 is out of range");
        return (int)value;
    }

    public long ReadI64() => ReadZigZag();

    public double ReadDouble() => BinaryPrimitives.ReadDoubleLittleEndian(Take(8));

    /// <summary>The bytes of a binary or string value.</summary>
    public ReadOnlySpan<byte> ReadBinary()
    {
        var length = ReadVarint();
        if (length > (ulong)(_end - _position)) throw new InvalidDataException("a Thrift binary value runs past the end of its data");
        return Take((int)length);
    }

    /// <summary>Reads a list or set header: the element type and the element count.</summary>
    public (ThriftType ElementType, int Count) ReadListHeader()
    {
        var header = ReadByte();
        var elementType = CheckType((byte)(header & 0x0F));
        var count = header >> 4 == 15 ? ReadCount() : header >> 4;
        return (elementType, count);
    }

    /// <summary>Reads a map header: key and value types and the entry count (types are <see cref="ThriftType.Stop"/> for an empty map).</summary>
    public (ThriftType KeyType, ThriftType ValueType, int Count) ReadMapHeader()
    {
        var count = ReadCount();
        if (count == 0) return (ThriftType.Stop, ThriftType.Stop, 0);
        var types = ReadByte();
        return (CheckType((byte)(types >> 4)), CheckType((byte)(types & 0x0F)), count);
    }

    /// <summary>Reads a boolean element of a list, set or map: one byte, 1 for true (0, or 2 from some writers, for false).</summary>
    public bool ReadBoolElement() => ReadByte() == 1;

    /// <summary>Skips the value of a field of type <paramref name="type"/> (a boolean field has no value bytes).</summary>
    public void SkipValue(ThriftType type)
    {
        if (type is ThriftType.BoolTrue or ThriftType.BoolFalse) return;
        SkipElement(type);
    }

    /// <summary>Skips one element of a list, set or map whose element type is <paramref name="type"/>.</summary>
    public void SkipElement(ThriftType type)
    {
        switch (type)
        {
            case ThriftType.BoolTrue or ThriftType.BoolFalse or ThriftType.I8:
                Take(1);
                break;
            case ThriftType.I16 or ThriftType.I32 or ThriftType.I64:
                ReadVarint();
                break;
            case ThriftType.Double:
                Take(8);
                break;
            case ThriftType.Uuid:
                Take(16);
                break;
            case ThriftType.Binary:
                ReadBinary();
                break;
            case ThriftType.List or ThriftType.Set:
            {
                var (elementType, count) = ReadListHeader();
                EnterContainer();
                for (var i = 0; i < count; i++) SkipElement(elementType);
                ExitContainer();
                break;
            }
            case ThriftType.Map:
            {
                var (keyType, valueType, count) = ReadMapHeader();
                EnterContainer();
                for (var i = 0; i < count; i++)
                {
                    SkipElement(keyType);
                    SkipElement(valueType);
                }
                ExitContainer();
                break;
            }
            case ThriftType.Struct:
                BeginStruct();
                while (ReadFieldHeader(out _, out var fieldType)) SkipValue(fieldType);
                EndStruct();
                break;
            default:
                throw new InvalidDataException($"unexpected Thrift type {type}");
        }
    }

    // Containers count towards the nesting depth as structs do.
    private void EnterContainer()
    {
        if (_enclosingFieldIds.Count >= MaxDepth) throw new InvalidDataException("Thrift structures are nested too deeply");
        _enclosingFieldIds.Push(_lastFieldId);
    }

    private void ExitContainer() => _lastFieldId = _enclosingFieldIds.Pop();

    private int ReadCount()
    {
        var count = ReadVarint();
        // Every element takes at least one byte, so a count larger than what is left is corrupt.
        if (count > (ulong)(_end - _position)) throw new InvalidDataException("a Thrift container claims more elements than its data holds");
        return (int)count;
    }

    private long ReadZigZag()
    {
        var raw = ReadVarint();
        return (long)(raw >> 1) ^ -(long)(raw & 1);
    }

    private ulong ReadVarint()
    {
        ulong value = 0;
        for (var shift = 0; shift < 70; shift += 7)
        {
            var b = ReadByte();
            value |= (ulong)(b & 0x7F) << shift;
            if ((b & 0x80) == 0) return value;
        }
        throw new InvalidDataException("a Thrift varint is longer than 10 bytes");
    }

    private byte ReadByte()
    {
        if (_position >= _end) throw new InvalidDataException("Thrift data ends in the middle of a value");
        return _buffer[_position++];
    }

    private ReadOnlySpan<byte> Take(int count)
    {
        if (count > _end - _position) throw new InvalidDataException("Thrift data ends in the middle of a value");
        var span = _buffer.AsSpan(_position, count);
        _position += count;
        return span;
    }

    private static ThriftType CheckType(byte code) =>
        code is >= 1 and <= 13 ? (ThriftType)code : throw new InvalidDataException($"unknown Thrift compact type code {code}");
}
