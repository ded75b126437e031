namespace CloudInventory.Catalog;

/// <summary>The cloud a table's rows come from; it names the table (<c>aws_…</c>, <c>azure_…</c>) and its store folder.</summary>
public enum Cloud
{
    /// <summary>Amazon Web Services: tables from the AWS API models and specs.</summary>
    Aws,

    /// <summary>Microsoft Azure: tables from Azure's resource type models, read through Resource Graph.</summary>
    Azure,
}
