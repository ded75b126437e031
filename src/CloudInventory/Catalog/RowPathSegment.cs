namespace CloudInventory.Catalog;

/// <summary>One step of a <see cref="RowPath"/>: an output member, possibly a list to iterate.</summary>
/// <param name="Member">The member's model name, e.g. <c>Reservations</c>.</param>
/// <param name="IsList">True when the step iterates the list's elements (written <c>Reservations[]</c>).</param>
public sealed record RowPathSegment(string Member, bool IsList)
{
    /// <inheritdoc />
    public override string ToString() => IsList ? Member + "[]" : Member;
}
