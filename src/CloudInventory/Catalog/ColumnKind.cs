namespace CloudInventory.Catalog;

/// <summary>The kind of value a column (or a nested field) holds.</summary>
public enum ColumnKind
{
    /// <summary>Text.</summary>
    String,
    /// <summary>A 32-bit signed integer.</summary>
    Int32,
    /// <summary>A 64-bit signed integer.</summary>
    Int64,
    /// <summary>A 64-bit float.</summary>
    Double,
    /// <summary>A boolean.</summary>
    Bool,
    /// <summary>A point in time, millisecond precision, UTC.</summary>
    Timestamp,
    /// <summary>Binary data.</summary>
    Binary,
    /// <summary>A JSON document stored as text (recursive shapes cut at the cycle, untyped documents, policy documents).</summary>
    Json,
    /// <summary>A structure of named fields.</summary>
    Struct,
    /// <summary>A list of one element type.</summary>
    List,
    /// <summary>A map from a key type to a value type.</summary>
    Map,
}
