namespace CloudInventory.Catalog.Generation;

/// <summary>The SQL dialects the standard views are generated in.</summary>
public enum SqlDialect
{
    /// <summary>Athena (Trino) over the Glue tables.</summary>
    Athena,
    /// <summary>DuckDB over the Parquet store.</summary>
    DuckDb,
}
