namespace CloudInventory.Catalog;

/// <summary>Whether a table is collected per region or once per account.</summary>
public enum TableScope
{
    /// <summary>Collected in every enabled region.</summary>
    Regional,
    /// <summary>Collected once per account (IAM, Route 53, CloudFront, Organizations, S3 bucket list, …).</summary>
    Global,
}
