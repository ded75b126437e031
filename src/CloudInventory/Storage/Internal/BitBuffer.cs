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
        if (value) _bits[index] |= (byte)(1 << (_length & 7));
        else _unsetCount++;
        _length++;
    }

    /// <summary>A copy of the bitmap; for validity, an empty buffer when nothing is null.</summary>
    public ArrowBuffer ToValidityBuffer() => _unsetCount == 0 ? ArrowBuffer.Empty : ToArrowBuffer();

    /// <summary>A copy of the bitmap.</summary>
    public ArrowBuffer ToArrowBuffer() => new(_bits.AsSpan(0, ByteLength).ToArray());

    /// <summary>Forgets the bits, keeping the capacity.</summary>
    public void Clear()
    {
        System.Array.Clear(_bits, 0, ByteLength);
        _length = 0;
        _unsetCount = 0;
    }
}
