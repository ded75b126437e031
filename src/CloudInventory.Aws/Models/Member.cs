namespace CloudInventory.Aws.Models;

/// <summary>
/// A reference to a shape from a structure member, a list member, a map key/value, or an
/// operation's input/output, with the traits the reference carries. Reference traits override
/// the same traits on the target shape.
/// </summary>
public sealed class Member
{
    internal Member(string name, Shape shape)
    {
        Name = name;
        Shape = shape;
    }

    /// <summary>The member's name in the model (e.g. <c>InstanceId</c>); empty for list/map/operation references.</summary>
    public string Name { get; }

    /// <summary>The target shape.</summary>
    public Shape Shape { get; internal set; }

    /// <summary>The <c>locationName</c> trait: the wire name (XML element, header, query key, URI label).</summary>
    public string? LocationName { get; internal set; }

    /// <summary>The <c>queryName</c> trait (ec2 protocol).</summary>
    public string? QueryName { get; internal set; }

    /// <summary>The <c>location</c> trait.</summary>
    public MemberLocation Location { get; internal set; }

    /// <summary>The <c>flattened</c> trait on the reference, if set.</summary>
    public bool? FlattenedTrait { get; internal set; }

    /// <summary>The <c>xmlAttribute</c> trait.</summary>
    public bool XmlAttribute { get; internal set; }

    /// <summary>The <c>xmlNamespace</c> trait on the reference.</summary>
    public XmlNamespace? XmlNamespaceTrait { get; internal set; }

    /// <summary>The <c>timestampFormat</c> trait on the reference.</summary>
    public string? TimestampFormatTrait { get; internal set; }

    /// <summary>The <c>jsonvalue</c> trait: a header whose value is base64-encoded JSON.</summary>
    public bool JsonValue { get; internal set; }

    /// <summary>The <c>idempotencyToken</c> trait: filled with a fresh UUID when absent.</summary>
    public bool IdempotencyToken { get; internal set; }

    /// <summary>The <c>hostLabel</c> trait: the member fills a label of the endpoint host prefix.</summary>
    public bool HostLabel { get; internal set; }

    /// <summary>The <c>resultWrapper</c> trait of an operation's output (query protocol).</summary>
    public string? ResultWrapper { get; internal set; }

    /// <summary>True when the enclosing structure lists this member as required.</summary>
    public bool IsRequired { get; internal set; }

    /// <summary>The <c>deprecated</c> trait.</summary>
    public bool Deprecated { get; internal set; }

    /// <summary>The effective <c>flattened</c> trait (reference first, then shape).</summary>
    public bool Flattened => FlattenedTrait ?? Shape.Flattened;

    /// <summary>The effective <c>xmlNamespace</c> (reference first, then shape).</summary>
    public XmlNamespace? XmlNamespace => XmlNamespaceTrait ?? Shape.XmlNamespace;

    /// <summary>The effective <c>timestampFormat</c> (reference first, then shape), or null for the protocol default.</summary>
    public string? TimestampFormat => TimestampFormatTrait ?? Shape.TimestampFormat;

    /// <summary>The wire name: <see cref="LocationName"/> when set, else <see cref="Name"/>.</summary>
    public string WireName => LocationName ?? Name;

    /// <inheritdoc />
    public override string ToString() => $"{Name}: {Shape}";
}
