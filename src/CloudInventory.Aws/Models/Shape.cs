namespace CloudInventory.Aws.Models;

/// <summary>
/// One shape of an AWS service model, with every trait the wire protocols use.
/// Named shapes come from the model's <c>shapes</c> table; the compact models also define
/// anonymous shapes inline at the point of use.
/// </summary>
public sealed class Shape
{
    private static readonly IReadOnlyList<Member> s_noMembers = [];
    private Dictionary<string, Member>? _byName;

    internal Shape(string? name, ShapeType type)
    {
        Name = name;
        Type = type;
    }

    /// <summary>The shape's name in the model, or null for an inline shape.</summary>
    public string? Name { get; }

    /// <summary>The shape's type.</summary>
    public ShapeType Type { get; internal set; }

    /// <summary>A structure's members in model order.</summary>
    public IReadOnlyList<Member> Members { get; internal set; } = s_noMembers;

    /// <summary>A list's member reference.</summary>
    public Member? ListMember { get; internal set; }

    /// <summary>A map's key reference.</summary>
    public Member? MapKey { get; internal set; }

    /// <summary>A map's value reference.</summary>
    public Member? MapValue { get; internal set; }

    /// <summary>The <c>flattened</c> trait on the shape.</summary>
    public bool Flattened { get; internal set; }

    /// <summary>The <c>locationName</c> trait on the shape (the XML root element of a payload).</summary>
    public string? LocationName { get; internal set; }

    /// <summary>The <c>xmlNamespace</c> trait on the shape.</summary>
    public XmlNamespace? XmlNamespace { get; internal set; }

    /// <summary>The <c>timestampFormat</c> trait on the shape.</summary>
    public string? TimestampFormat { get; internal set; }

    /// <summary>The <c>payload</c> trait of a structure: the member sent as the whole HTTP body.</summary>
    public string? Payload { get; internal set; }

    /// <summary>The <c>enum</c> values of a string shape, if any.</summary>
    public IReadOnlyList<string>? EnumValues { get; internal set; }

    /// <summary>The <c>union</c> trait: exactly one member is set.</summary>
    public bool Union { get; internal set; }

    /// <summary>The <c>sensitive</c> trait.</summary>
    public bool Sensitive { get; internal set; }

    /// <summary>The <c>document</c> trait: an untyped JSON document.</summary>
    public bool Document { get; internal set; }

    /// <summary>The <c>streaming</c> trait on a blob or string payload.</summary>
    public bool Streaming { get; internal set; }

    /// <summary>The <c>eventstream</c> trait.</summary>
    public bool EventStream { get; internal set; }

    /// <summary>The <c>exception</c> trait.</summary>
    public bool Exception { get; internal set; }

    /// <summary>The error code from the <c>error</c> trait (awsQueryCompatible services).</summary>
    public string? ErrorCode { get; internal set; }

    /// <summary>The HTTP status from the <c>error</c> trait.</summary>
    public int? ErrorHttpStatus { get; internal set; }

    /// <summary>The <c>min</c> trait (length or value).</summary>
    public long? Min { get; internal set; }

    /// <summary>The <c>max</c> trait (length or value).</summary>
    public long? Max { get; internal set; }

    /// <summary>Finds a structure member by model name (ordinal), or null.</summary>
    public Member? FindMember(string name)
    {
        if (Members.Count == 0) return null;
        _byName ??= Members.ToDictionary(m => m.Name, StringComparer.Ordinal);
        return _byName.GetValueOrDefault(name);
    }

    /// <inheritdoc />
    public override string ToString() => Name is null ? Type.ToString().ToLowerInvariant() : $"{Name} ({Type.ToString().ToLowerInvariant()})";
}
