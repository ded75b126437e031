namespace CloudInventory.Storage;

/// <summary>How a collection run ended (written in snake_case: <c>complete</c>, <c>partial</c>, <c>failed</c>).</summary>
public enum RunStatus
{
    /// <summary>Every work unit succeeded (or was skipped for a recorded, expected reason).</summary>
    Complete,
    /// <summary>Some work units failed; their errors are recorded.</summary>
    Partial,
    /// <summary>The run could not collect anything useful.</summary>
    Failed,
}
