using Apache.Arrow;

namespace CloudInventory.Storage.Internal;

/// <summary>A growable bitmap (least significant bit first, as Arrow wants): validity or boolean values.</summary>
internal sealed class BitBuffer
{
    private byte[] _bits = new byte[8];
    private int _length;
    private int _unsetCount;

    /// <summary>The number of bits appended.</summary>
    public int Length => _length;

    /// <summary>The number of zero bits appended (for validity: the null count).</summary>
    public int UnsetCount => _unsetCount;

    /// <summary>The bytes the bitmap occupies.</summary>
    public int ByteLength => (_length + 7) >> 3;

    public void Append(bool value)
    {
        var index = _length >> 3;
        if (index >= _bits.Length) System.Array.Resize(ref _bits, _bits.Length * 2);
        if ((_length & 7) == 0) _bits[index] = 0; // a new byte: whatever a previous batch left there goes
        if (value) _bits[index] |= (byte)(1 << (_length & 7));
        else _unsetCount++;
        _length++;
    }

    /// <summary>The bitmap for validity: an empty buffer when nothing is null, else as <see cref="ToArrowBuffer"/>.</summary>
    public ArrowBuffer ToValidityBuffer(bool share) => _unsetCount == 0 ? ArrowBuffer.Empty : ToArrowBuffer(share);

    /// <summary>The bitmap: a copy, or with <paramref name="share"/> this buffer's memory (valid until it is cleared or written again).</summary>
    public ArrowBuffer ToArrowBuffer(bool share) => new(share ? _bits.AsMemory(0, ByteLength) : _bits.AsSpan(0, ByteLength).ToArray());

    /// <summary>Drops the bits from <paramref name="length"/> on (to undo an incomplete row).</summary>
    public void Truncate(int length)
    {
        for (var i = length; i < _length; i++)
        {
            if ((_bits[i >> 3] & (1 << (i & 7))) == 0) _unsetCount--;
        }
        _length = length;
        if ((length & 7) != 0) _bits[length >> 3] &= (byte)((1 << (length & 7)) - 1);
    }

    /// <summary>Forgets the bits, keeping the capacity (and the bytes, which a shared buffer may still be reading).</summary>
    public void Clear()
    {
        _length = 0;
        _unsetCount = 0;
    }
}
