namespace CloudInventory.Azure.Models;

/// <summary>What kind of value a modelled Azure member holds.</summary>
public enum AzureShapeKind
{
    /// <summary>Anything (recursive or untyped models): kept as JSON.</summary>
    Any,

    /// <summary>A string.</summary>
    String,

    /// <summary>One of a fixed set of strings.</summary>
    Enum,

    /// <summary>An integer.</summary>
    Integer,

    /// <summary>true or false.</summary>
    Boolean,

    /// <summary>A list of <see cref="AzureShape.Item"/>.</summary>
    Array,

    /// <summary>An object with named <see cref="AzureShape.Members"/> (and perhaps a map of <see cref="AzureShape.Additional"/>).</summary>
    Object,
}
