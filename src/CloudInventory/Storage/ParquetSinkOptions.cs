namespace CloudInventory.Storage;

/// <summary>How a <see cref="ParquetSink"/> cuts row groups and compresses them.</summary>
public sealed record ParquetSinkOptions
{
    /// <summary>The default options.</summary>
    public static ParquetSinkOptions Default { get; } = new();

    /// <summary>A row group is closed (written out) once it holds this many rows. Default 50,000.</summary>
    public int RowGroupRows { get; init; } = 50_000;

    /// <summary>
    /// A row group is closed once the rows written into it occupied this many bytes in Arrow buffers, so
    /// wide rows close groups sooner; with <see cref="RowGroupRows"/> this bounds the encoded row group the
    /// writer holds until it is written out. Default 32 MiB.
    /// </summary>
    public long RowGroupBytes { get; init; } = 32L * 1024 * 1024;

    /// <summary>
    /// Rows appended one at a time are handed to the Parquet writer (encoded into the open row group)
    /// once this many are buffered. Default 4,096.
    /// </summary>
    public int BatchRows { get; init; } = 4_096;

    /// <summary>… or once the buffered rows occupy this many bytes in Arrow buffers. Default 2 MiB.</summary>
    public long BatchBytes { get; init; } = 2L * 1024 * 1024;

    /// <summary>
    /// The file is written as parts of at most this many row groups, joined into one file by <see cref="ParquetSink.Complete"/>
    /// (column chunks copied as they are, one footer written), so the writer's metadata of past row groups, which it
    /// keeps until a file is closed, stays bounded however many rows the file gets. 0 writes one part. Default 32.
    /// </summary>
    public int PartRowGroups { get; init; } = 32;

    /// <summary>The zstd compression level. Default 3.</summary>
    public int CompressionLevel { get; init; } = 3;

    /// <summary>The writer recorded in the file's <c>created_by</c>.</summary>
    public string CreatedBy { get; init; } = "cloudinv " + (typeof(ParquetSinkOptions).Assembly.GetName().Version?.ToString(3) ?? "0.0.0");
}
