using CloudInventory.Catalog;

namespace CloudInventory.Collection;

/// <summary>
/// A call that failed for good in a run, or a warning about data that was kept with a gap: it lands in
/// <c>cloudinv_errors</c> (the one definition of that table's schema is <see cref="Columns"/>) and in the manifest.
/// </summary>
/// <param name="AccountId">The account.</param>
/// <param name="Region">The region (<c>global</c> for global tables).</param>
/// <param name="Table">The table being collected, or null for account-level steps (AssumeRole, DescribeRegions).</param>
/// <param name="Operation">The API operation, e.g. <c>ec2:DescribeInstances</c>.</param>
/// <param name="ErrorCode">The AWS error code, or a Cloud Inventory code such as <c>ProtocolError</c>.</param>
/// <param name="Message">The error message.</param>
/// <param name="Attempts">How many attempts were made.</param>
/// <param name="Enrichment">The enrichment, when a per-row call failed (the row is kept with a null column).</param>
/// <param name="Severity">An error, or a warning (which never makes a run partial).</param>
/// <param name="MemberPath">For a malformed value: where in the operation's output (<c>Reservations[].Instances[].EbsOptimized</c>).</param>
/// <param name="Value">For a malformed value: the first offending text, cut to 100 characters.</param>
/// <param name="Occurrences">How many times it happened in the unit (malformed values of one member are counted in one record).</param>
public sealed record CollectionError(string AccountId, string Region, string? Table, string Operation, string ErrorCode, string Message, int Attempts, string? Enrichment,
    ErrorSeverity Severity = ErrorSeverity.Error, string? MemberPath = null, string? Value = null, long Occurrences = 1)
{
    /// <summary>The error code of a warning about a value that was not of its modelled type (read as null).</summary>
    public const string MalformedValueCode = "MalformedValue";

    /// <summary>The <c>severity</c> column's text.</summary>
    public string SeverityText => Severity == ErrorSeverity.Warning ? "warning" : "error";

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
        new("severity", ColumnType.String, ColumnOrigin.System, null, "error, or warning (data kept with a gap, e.g. a malformed value read as null; never makes a run partial)."),
        new("member_path", ColumnType.String, ColumnOrigin.System, null, "For a malformed value: the member in the operation's output."),
        new("value", ColumnType.String, ColumnOrigin.System, null, "For a malformed value: the first offending text (at most 100 characters)."),
        new("occurrences", ColumnType.Int64, ColumnOrigin.System, null, "How many times it happened in the (account, region, table)."),
    ];
}
