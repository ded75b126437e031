using System.Runtime.CompilerServices;
using System.Text;
using CloudInventory.Aws.Models;

namespace CloudInventory.Aws.Protocols.Reading;

/// <summary>
/// The lookup tables a reader needs for one structure shape, built once per shape and cached:
/// members bound to the HTTP message, XML element and attribute names, and JSON keys (also as
/// UTF-8 in model order, so a reader can try the next expected key before a dictionary look-up).
/// </summary>
internal sealed class StructureBindings
{
    private static readonly ConditionalWeakTable<Shape, StructureBindings> s_cache = new();

    private readonly Dictionary<string, XmlMemberBinding> _xmlElements = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _jsonIndex = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> _jsonLookup;

    private StructureBindings(Shape shape)
    {
        var http = new List<Member>();
        var attributes = new List<Member>();
        var body = new List<Member>();
        var elements = new List<XmlMemberBinding>();
        foreach (var member in shape.Members)
        {
            // URI and query-string members only bind requests; in a response they travel in the body.
            if (member.Location is MemberLocation.Header or MemberLocation.Headers or MemberLocation.StatusCode)
            {
                http.Add(member);
                continue;
            }
            body.Add(member);
            if (member.XmlAttribute)
            {
                attributes.Add(member);
                continue;
            }
            var kind = member.Flattened switch
            {
                true when member.Shape.Type == ShapeType.List => XmlMemberKind.FlattenedList,
                true when member.Shape.Type == ShapeType.Map => XmlMemberKind.FlattenedMap,
                _ => XmlMemberKind.Element,
            };
            var binding = new XmlMemberBinding(member, kind, body.Count - 1);
            elements.Add(binding);
            // A flattened list whose items carry a name uses that name for each occurrence.
            if (kind == XmlMemberKind.FlattenedList && member.Shape.ListMember?.LocationName is { } itemName) _xmlElements.TryAdd(LocalPart(itemName), binding);
            _xmlElements.TryAdd(LocalPart(member.WireName), binding);
        }
        // The target shape's own locationName is accepted too, but never shadows another member's name.
        foreach (var binding in elements)
        {
            if (binding.Member.Shape.LocationName is { } shapeName) _xmlElements.TryAdd(LocalPart(shapeName), binding);
        }
        HttpMembers = http.ToArray();
        XmlAttributes = attributes.ToArray();
        JsonMembers = body.ToArray();
        JsonUtf8Names = JsonMembers.Select(m => Encoding.UTF8.GetBytes(m.WireName)).ToArray();
        JsonStrings = JsonMembers.Select(m => StringsFor(m.Shape)).ToArray();
        for (var i = 0; i < JsonMembers.Length; i++) _jsonIndex.TryAdd(JsonMembers[i].WireName, i);
        _jsonLookup = _jsonIndex.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    /// <summary>Members bound to headers, header maps or the status code.</summary>
    public Member[] HttpMembers { get; }

    /// <summary>Members read from XML attributes of the structure's element.</summary>
    public Member[] XmlAttributes { get; }

    /// <summary>Body members in model order, as JSON object keys.</summary>
    public Member[] JsonMembers { get; }

    /// <summary>Recent values of each of <see cref="JsonMembers"/> that is a string (null for others).</summary>
    public RecentStrings?[] JsonStrings { get; }

    /// <summary>The UTF-8 JSON key of each of <see cref="JsonMembers"/>.</summary>
    public byte[][] JsonUtf8Names { get; }

    public static StructureBindings For(Shape shape) => s_cache.GetValue(shape, static s => new StructureBindings(s));

    public XmlMemberBinding? FindElement(string localName) => _xmlElements.GetValueOrDefault(localName);

    public int FindJson(ReadOnlySpan<char> name) => _jsonLookup.TryGetValue(name, out var index) ? index : -1;

    /// <summary>A value cache for a plain string shape; null for other shapes and enums (which have their own).</summary>
    internal static RecentStrings? StringsFor(Shape shape) =>
        shape.Type == ShapeType.String && shape.EnumValues is not { Count: > 0 } && !shape.Document ? new RecentStrings() : null;

    /// <summary>The local part of an XML name such as <c>xsi:type</c>.</summary>
    public static string LocalPart(string name)
    {
        var colon = name.IndexOf(':', StringComparison.Ordinal);
        return colon < 0 ? name : name[(colon + 1)..];
    }
}
