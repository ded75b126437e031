using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Apache.Arrow;

namespace CloudInventory.Storage.Internal;

/// <summary>
/// A growable run of bytes that keeps its capacity across batches: the values or offsets of one
/// Arrow buffer while rows are appended. Also an <see cref="IBufferWriter{T}"/> so JSON can be
/// written straight into it.
/// </summary>
internal sealed class ByteBuffer : IBufferWriter<byte>
{
    private byte[] _data;
    private int _length;

    public ByteBuffer(int initialCapacity = 64) => _data = new byte[Math.Max(16, initialCapacity)];

    /// <summary>The bytes written so far.</summary>
    public int Length => _length;

    /// <summary>The bytes written so far, as a span.</summary>
    public ReadOnlySpan<byte> Written => _data.AsSpan(0, _length);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Append<T>(T value) where T : unmanaged
    {
        var size = Unsafe.SizeOf<T>();
        if (_data.Length - _length < size) Grow(size);
        MemoryMarshal.Write(_data.AsSpan(_length, size), in value);
        _length += size;
    }

    public void Append(ReadOnlySpan<byte> bytes)
    {
        if (_data.Length - _length < bytes.Length) Grow(bytes.Length);
        bytes.CopyTo(_data.AsSpan(_length));
        _length += bytes.Length;
    }

    /// <summary>Reads back a value written at <paramref name="byteOffset"/>.</summary>
    public T Read<T>(int byteOffset) where T : unmanaged => MemoryMarshal.Read<T>(_data.AsSpan(byteOffset, Unsafe.SizeOf<T>()));

    /// <summary>Drops bytes written after <paramref name="length"/> (undoing a partial append).</summary>
    public void Truncate(int length)
    {
        if ((uint)length > (uint)_length) throw new ArgumentOutOfRangeException(nameof(length));
        _length = length;
    }

    public void Advance(int count)
    {
        if (count < 0 || _length + count > _data.Length) throw new ArgumentOutOfRangeException(nameof(count));
        _length += count;
    }

    public Memory<byte> GetMemory(int sizeHint = 0)
    {
        if (_data.Length - _length < Math.Max(sizeHint, 1)) Grow(Math.Max(sizeHint, 1));
        return _data.AsMemory(_length);
    }

    public Span<byte> GetSpan(int sizeHint = 0) => GetMemory(sizeHint).Span;

    /// <summary>The written bytes as an Arrow buffer: a copy, or with <paramref name="share"/> this buffer's memory (valid until it is written again).</summary>
    public ArrowBuffer ToArrowBuffer(bool share) =>
        _length == 0 ? ArrowBuffer.Empty : new ArrowBuffer(share ? _data.AsMemory(0, _length) : _data.AsSpan(0, _length).ToArray());

    /// <summary>Forgets the written bytes, keeping the capacity.</summary>
    public void Clear() => _length = 0;

    private void Grow(int needed)
    {
        var size = Math.Max(_data.Length * 2, _length + needed);
        if ((uint)size > (uint)System.Array.MaxLength) size = Math.Max(_length + needed, System.Array.MaxLength);
        System.Array.Resize(ref _data, size);
    }
}
