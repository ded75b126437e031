namespace CloudInventory.Catalog;

/// <summary>One field of a <see cref="ColumnKind.Struct"/> type.</summary>
/// <param name="Name">The snake_case field name, e.g. <c>availability_zone</c>.</param>
/// <param name="SourceName">The member's name in the API model, e.g. <c>AvailabilityZone</c>.</param>
/// <param name="Type">The field's type.</param>
public sealed record StructField(string Name, string SourceName, ColumnType Type);
