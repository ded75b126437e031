namespace CloudInventory.Storage;

/// <summary>How a <see cref="ParquetSink"/> cuts row groups and compresses them.</summary>
public sealed record ParquetSinkOptions
{
    /// <summary>The default options.</summary>
    public static ParquetSinkOptions Default { get; } = new();

    /// <summary>A row group is written once this many rows are buffered. Default 50,000.</summary>
    public int RowGroupRows { get; init; } = 50_000;

    /// <summary>
    /// A row group is written once the buffered rows occupy this many bytes in Arrow buffers, so wide
    /// rows flush sooner; with <see cref="RowGroupRows"/> this bounds a sink's memory. Default 32 MiB.
    /// </summary>
    public long RowGroupBytes { get; init; } = 32L * 1024 * 1024;

    /// <summary>The zstd compression level. Default 3.</summary>
    public int CompressionLevel { get; init; } = 3;

    /// <summary>The writer recorded in the file's <c>created_by</c>.</summary>
    public string CreatedBy { get; init; } = "cloudinv " + (typeof(ParquetSinkOptions).Assembly.GetName().Version?.ToString(3) ?? "0.0.0");
}
