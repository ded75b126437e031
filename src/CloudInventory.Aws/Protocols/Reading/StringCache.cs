using System.Runtime.CompilerServices;
using CloudInventory.Aws.Models;

namespace CloudInventory.Aws.Protocols.Reading;

/// <summary>
/// Returns one shared string instance for each value of an enum shape, so the thousands of
/// repeated state names, instance types and the like in a page do not allocate a string each.
/// Values outside the enum (new in the service) are allocated as usual.
/// </summary>
internal sealed class StringCache
{
    private static readonly ConditionalWeakTable<Shape, StringCache> s_byShape = new();
    private readonly Dictionary<string, string>.AlternateLookup<ReadOnlySpan<char>> _lookup;

    private StringCache(IReadOnlyList<string> values)
    {
        var dict = new Dictionary<string, string>(values.Count, StringComparer.Ordinal);
        foreach (var v in values) dict.TryAdd(v, v);
        _lookup = dict.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    /// <summary>The cache of an enum shape, or null when the shape has no enum values.</summary>
    public static StringCache? For(Shape shape) =>
        shape.EnumValues is { Count: > 0 } values ? s_byShape.GetValue(shape, _ => new StringCache(values)) : null;

    /// <summary>Makes a string, reusing the enum's instance when the text is one of its values.</summary>
    public static string Get(Shape shape, ReadOnlySpan<char> text)
    {
        if (shape.EnumValues is { Count: > 0 } && For(shape) is { } cache && cache._lookup.TryGetValue(text, out var cached)) return cached;
        return text.IsEmpty ? "" : new string(text);
    }
}
