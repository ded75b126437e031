namespace CloudInventory.Collection;

/// <summary>How much a <see cref="CollectionError"/> matters to the run (the <c>severity</c> column of <c>cloudinv_errors</c>).</summary>
public enum ErrorSeverity
{
    /// <summary>A call failed: its rows are missing (unless it is a skip such as access denied), and the run may be partial.</summary>
    Error,

    /// <summary>Data was kept with a gap (a malformed value read as null): recorded, but the run stays complete.</summary>
    Warning,
}
