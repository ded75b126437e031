namespace CloudInventory.Aws.Protocols.Reading;

/// <summary>How a structure member appears as an XML element of its parent.</summary>
internal enum XmlMemberKind
{
    /// <summary>One element holding the whole value.</summary>
    Element,
    /// <summary>A flattened list: each occurrence of the element is one item.</summary>
    FlattenedList,
    /// <summary>A flattened map: each occurrence of the element is one key/value entry.</summary>
    FlattenedMap,
}
