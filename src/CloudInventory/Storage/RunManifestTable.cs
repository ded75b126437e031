namespace CloudInventory.Storage;

/// <summary>What a run saw of one table in one account and region.</summary>
/// <param name="Table">The table name.</param>
/// <param name="AccountId">The account.</param>
/// <param name="Region">The region (the account's home region for global tables).</param>
/// <param name="Rows">The rows collected (0 for an empty table, which has no file of its own).</param>
/// <param name="Status">Collected, empty, failed or skipped.</param>
/// <param name="ErrorCode">The error code when failed or skipped, else null.</param>
public sealed record RunManifestTable(string Table, string AccountId, string Region, long Rows, TableRunStatus Status, string? ErrorCode = null);
