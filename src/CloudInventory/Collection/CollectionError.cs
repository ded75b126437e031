using CloudInventory.Catalog;

namespace CloudInventory.Collection;

/// <summary>A call that failed for good in a run: it lands in <c>cloudinv_errors</c> and in the manifest.</summary>
/// <param name="AccountId">The account.</param>
/// <param name="Region">The region (<c>global</c> for global tables).</param>
/// <param name="Table">The table being collected, or null for account-level steps (AssumeRole, DescribeRegions).</param>
/// <param name="Operation">The API operation, e.g. <c>ec2:DescribeInstances</c>.</param>
/// <param name="ErrorCode">The AWS error code, or a Cloud Inventory code such as <c>ProtocolError</c>.</param>
/// <param name="Message">The error message.</param>
/// <param name="Attempts">How many attempts were made.</param>
/// <param name="Enrichment">The enrichment, when a per-row call failed (the row is kept with a null column).</param>
public sealed record CollectionError(string AccountId, string Region, string? Table, string Operation, string ErrorCode, string Message, int Attempts, string? Enrichment)
{
    /// <summary>The columns of the <c>cloudinv_errors</c> table.</summary>
    public static IReadOnlyList<Column> Columns { get; } =
    [
        new("run_id", ColumnType.String, ColumnOrigin.System, null, "The run."),
        new("report_time", ColumnType.Timestamp, ColumnOrigin.System, null, "When the run started (UTC)."),
        new("account_id", ColumnType.String, ColumnOrigin.System, null, "The account."),
        new("region", ColumnType.String, ColumnOrigin.System, null, "The region, or global."),
        new("table_name", ColumnType.String, ColumnOrigin.System, null, "The table being collected."),
        new("operation", ColumnType.String, ColumnOrigin.System, null, "The API operation (service:Operation)."),
        new("error_code", ColumnType.String, ColumnOrigin.System, null, "The AWS error code."),
        new("message", ColumnType.String, ColumnOrigin.System, null, "The error message."),
        new("attempts", ColumnType.Int32, ColumnOrigin.System, null, "Attempts made, retries included."),
        new("enrichment", ColumnType.String, ColumnOrigin.System, null, "The enrichment, for per-row calls."),
    ];
}
