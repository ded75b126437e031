namespace CloudInventory.Catalog;

/// <summary>Where a column's values come from.</summary>
public enum ColumnOrigin
{
    /// <summary>A field of the row the table's operation returns.</summary>
    Api,
    /// <summary>A field of an enclosing object on the row path (e.g. the reservation of an EC2 instance).</summary>
    Carried,
    /// <summary>A field of the parent table's row, for child tables.</summary>
    Parent,
    /// <summary>Added by the collector: account, region, report time.</summary>
    System,
    /// <summary>The result of a per-row follow-up call.</summary>
    Enrichment,
}
