namespace CloudInventory.Query;

/// <summary>One changed column of a row: the old and new values as text (nested values as JSON).</summary>
/// <param name="Column">The column name.</param>
/// <param name="Old">The value in the older snapshot (null when SQL NULL).</param>
/// <param name="New">The value in the newer snapshot (null when SQL NULL).</param>
public sealed record ColumnChange(string Column, string? Old, string? New);
