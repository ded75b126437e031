namespace CloudInventory.Storage;

/// <summary>What a run saw of one table in one account and region (written as <c>ok</c>, <c>empty</c>, <c>error</c>, <c>skipped</c>).</summary>
public enum TableRunStatus
{
    /// <summary>Rows were collected.</summary>
    Ok,
    /// <summary>The table was read and had no rows.</summary>
    Empty,
    /// <summary>Reading the table failed; see the errors table.</summary>
    Error,
    /// <summary>The table was not read (access denied, region not opted in, service unsupported in the region).</summary>
    Skipped,
}
