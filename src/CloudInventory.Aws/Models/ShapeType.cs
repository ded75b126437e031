namespace CloudInventory.Aws.Models;

/// <summary>The kind of value a <see cref="Shape"/> describes, as named in the AWS models.</summary>
public enum ShapeType
{
    /// <summary>A string (also enum strings and characters).</summary>
    String,
    /// <summary>A 32-bit (or smaller) integer.</summary>
    Integer,
    /// <summary>A 64-bit integer (also bigInteger).</summary>
    Long,
    /// <summary>A 32-bit float.</summary>
    Float,
    /// <summary>A 64-bit float (also bigDecimal).</summary>
    Double,
    /// <summary>A boolean.</summary>
    Boolean,
    /// <summary>A point in time.</summary>
    Timestamp,
    /// <summary>Binary data.</summary>
    Blob,
    /// <summary>A structure of named members.</summary>
    Structure,
    /// <summary>A list of one member shape.</summary>
    List,
    /// <summary>A map from a key shape to a value shape.</summary>
    Map,
}
