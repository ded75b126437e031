using CloudInventory.Aws.Models;

namespace CloudInventory.Aws.Protocols.Reading;

/// <summary>A structure member as found by its XML element name; <see cref="Index"/> is its position among the body members.</summary>
internal sealed record XmlMemberBinding(Member Member, XmlMemberKind Kind, int Index)
{
    /// <summary>Recent values of the member (or of its flattened list's items), when they are strings.</summary>
    public RecentStrings? Strings { get; } = StructureBindings.StringsFor(Kind == XmlMemberKind.FlattenedList ? Member.Shape.ListMember!.Shape : Member.Shape);
}
