using System.Runtime.CompilerServices;
using CloudInventory.Aws.Models;

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

    private static readonly ConditionalWeakTable<Shape, RecentStrings> s_mapKeys = new();
    private static readonly ConditionalWeakTable<Shape, RecentStrings> s_listItems = new();

    private readonly string?[] _slots = new string?[SlotCount];
    private int _next;
    private int _lookups;
    private int _hits;
    private bool _disabled;

    /// <summary>The cache of a map's keys (tag keys and the like), or null when the keys are enums (they have their own cache).</summary>
    public static RecentStrings? ForMapKeys(Shape map) =>
        map.MapKey!.Shape.EnumValues is { Count: > 0 } ? null : s_mapKeys.GetValue(map, static _ => new RecentStrings());

    /// <summary>The cache of a list's string items, or null when the items are not plain strings.</summary>
    public static RecentStrings? ForListItems(Shape list) =>
        StructureBindings.StringsFor(list.ListMember!.Shape) is null ? null : s_listItems.GetValue(list, static _ => new RecentStrings());

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
