namespace CloudInventory.Aws.Protocols.Reading;

/// <summary>
/// A tiny cache of the last few distinct values of one string member (state names, instance
/// types, zones, owner ids…), so a page of a thousand items does not allocate the same text a
/// thousand times. It switches itself off for members whose values do not repeat (ids), and is
/// shared by all threads reading the member: races only cost a cache miss, never a wrong value,
/// because a hit is always confirmed by comparing the text.
/// </summary>
internal sealed class RecentStrings
{
    private const int SlotCount = 8;
    private const int MaxLength = 128;
    private const int Probe = 256;

    private readonly string?[] _slots = new string?[SlotCount];
    private int _next;
    private int _lookups;
    private int _hits;
    private bool _disabled;

    public string Get(ReadOnlySpan<char> text)
    {
        if (text.IsEmpty) return "";
        if (_disabled || text.Length > MaxLength) return new string(text);
        var slots = _slots;
        var lookups = ++_lookups;
        foreach (var slot in slots)
        {
            if (slot is not null && text.SequenceEqual(slot))
            {
                _hits++;
                return slot;
            }
        }
        // After a probe of lookups, a member whose values rarely repeat stops caching.
        if (lookups >= Probe && _hits < Probe / 4) _disabled = true;
        var created = new string(text);
        slots[(_next++) & (SlotCount - 1)] = created;
        return created;
    }
}
