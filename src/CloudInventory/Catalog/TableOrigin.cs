namespace CloudInventory.Catalog;

/// <summary>How a table came into the catalog.</summary>
public enum TableOrigin
{
    /// <summary>Written by hand in a spec under <c>specs/aws/</c>.</summary>
    Curated,
    /// <summary>Derived automatically from a parameterless paginated read operation.</summary>
    Discovered,
}
