using System.Text.Json.Nodes;
using Apache.Arrow;
using CloudInventory.Catalog;
using ParquetSharp;
using ParquetSharp.Arrow;
using Column = CloudInventory.Catalog.Column;
using Table = CloudInventory.Catalog.Table;

namespace CloudInventory.Storage;

/// <summary>
/// Writes the rows of one table in one run to one zstd Parquet file through ParquetSharp's Arrow
/// writer. Rows come one at a time (<see cref="Append(ReadOnlySpan{JsonNode})"/>, buffered in a
/// <see cref="TableRowBuffer"/> and handed to the writer in small batches of <see cref="ParquetSinkOptions.BatchRows"/>
/// rows or <see cref="ParquetSinkOptions.BatchBytes"/> bytes) or as record batches built elsewhere
/// (<see cref="Append(RecordBatch)"/>, handed over as they are). The writer encodes and compresses each batch into
/// the open row group, which is closed (written out) once it holds <see cref="ParquetSinkOptions.RowGroupRows"/>
/// rows or <see cref="ParquetSinkOptions.RowGroupBytes"/> bytes of Arrow data. So the sink holds at most one small
/// Arrow batch plus one row group in encoded form, and a table is never held whole in memory.
/// The file holds the table's columns; <c>report_date</c> is only the Hive partition and is not stored.
/// The file is written as part files of at most <see cref="ParquetSinkOptions.PartRowGroups"/> row groups, next to
/// <see cref="Path"/>, which <see cref="Complete"/> joins into the file (so the writer's metadata of past row groups
/// stays bounded); the file appears only then. Disposing an unfinished sink deletes its parts.
/// </summary>
public sealed class ParquetSink : IDisposable
{
    // jemalloc where ParquetSharp's native library has it (Linux, macOS), otherwise the system allocator.
    private static readonly Lazy<MemoryPool> s_pool = new(() =>
    {
        try
        {
            return MemoryPool.JemallocMemoryPool();
        }
        catch (ParquetException)
        {
            return MemoryPool.SystemMemoryPool();
        }
    });

    private readonly IReadOnlyList<Column> _columns;
    // For rows appended one at a time; made on the first (a run's files get record batches only).
    private TableRowBuffer? _buffer;
    private readonly ParquetSinkOptions _options;
    private readonly WriterProperties _writerProperties;
    private readonly ArrowWriterProperties _arrowProperties;
    private readonly List<string> _parts = [];
    private FileWriter? _writer;
    private int _partGroups;
    private bool _completed;
    private bool _disposed;
    private long _groupRows;
    private long _groupBytes;
    private bool _groupOpen;

    /// <summary>A sink for the rows of <paramref name="table"/>, written to <paramref name="path"/>.</summary>
    public ParquetSink(Table table, string path, ParquetSinkOptions? options = null)
        : this((table ?? throw new ArgumentNullException(nameof(table))).Columns, path, options) { }

    /// <summary>A sink for rows of <paramref name="columns"/>, written to <paramref name="path"/> (created or overwritten).</summary>
    public ParquetSink(IReadOnlyList<Column> columns, string path, ParquetSinkOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(columns);
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (columns.Any(c => c.Name == Table.ReportDate.Name))
        {
            throw new ArgumentException($"'{Table.ReportDate.Name}' is the Hive partition and is not stored in the files", nameof(columns));
        }
        _options = options ?? ParquetSinkOptions.Default;
        if (_options.RowGroupRows <= 0) throw new ArgumentOutOfRangeException(nameof(options), "RowGroupRows must be positive");
        if (_options.RowGroupBytes <= 0) throw new ArgumentOutOfRangeException(nameof(options), "RowGroupBytes must be positive");
        if (_options.BatchRows <= 0) throw new ArgumentOutOfRangeException(nameof(options), "BatchRows must be positive");
        if (_options.BatchBytes <= 0) throw new ArgumentOutOfRangeException(nameof(options), "BatchBytes must be positive");
        if (_options.PartRowGroups < 0) throw new ArgumentOutOfRangeException(nameof(options), "PartRowGroups must not be negative");
        _columns = columns;
        Schema = ArrowTypeMapping.ToArrowSchema(columns);
        Path = path;

        using var builder = new WriterPropertiesBuilder()
            .Compression(Compression.Zstd)
            .CompressionLevel(_options.CompressionLevel)
            .CreatedBy(_options.CreatedBy)
            // Data pages, dictionaries and compression buffers come from jemalloc, apart from the long-lived
            // metadata the writer allocates with malloc: mixed in glibc's arenas, they fragmented them by ~1 MiB
            // per row group of aws_ec2_instances (docs/benchmarks.md §2.2).
            .MemoryPool(s_pool.Value)
            // The writer keeps every row group's metadata until the file is closed, so it is kept small: min/max
            // statistics (at most 256 bytes a value) only for top-level scalar columns (account_id, region, ids,
            // names, times: what queries filter on), none for the leaves of nested values; no page index (column
            // and offset indexes: DuckDB does not read them, and they are held until the file closes) and no size
            // statistics (level histograms per column chunk).
            .SetMaxStatisticsSize(256)
            .DisableStatistics()
            .DisableWritePageIndex()
            .SetSizeStatisticsLevel(SizeStatisticsLevel.None)
            // No dictionary encoding: a dictionary-encoded column buffers its row group's indices and levels and a
            // hash table of its values (and on unique values, ids and ARNs, falls back after 1 MiB of dictionary);
            // for the hundreds of leaves of a wide table that was ~40% of the native memory of an open row group,
            // and zstd compresses repeated values as well: aws_ec2_instances at 100k rows was 53.9 MB with
            // dictionaries, 49.1 MB with them on top-level columns only, 45.5 MB without (docs/benchmarks.md §2.2).
            .DisableDictionary();
        foreach (var column in columns.Where(c => c.Type.Kind is ColumnKind.String or ColumnKind.Int32 or ColumnKind.Int64
            or ColumnKind.Double or ColumnKind.Timestamp or ColumnKind.Bool))
        {
            builder.EnableStatistics(column.Name);
        }
        _writerProperties = builder.Build();
        using var arrowBuilder = new ArrowWriterPropertiesBuilder();
        _arrowProperties = arrowBuilder.Build();
        OpenPart();
    }

    /// <summary>The file being written (it exists once <see cref="Complete"/> has returned).</summary>
    public string Path { get; }

    /// <summary>The Arrow schema of the file.</summary>
    public Schema Schema { get; }

    /// <summary>The rows appended so far (written or buffered).</summary>
    public long RowCount { get; private set; }

    /// <summary>The row groups written so far.</summary>
    public int RowGroupCount { get; private set; }

    /// <summary>
    /// The bytes of Arrow data encoded into the row group that is still open (held by the native writer until the
    /// group is written out); 0 when none is open.
    /// </summary>
    public long OpenRowGroupBytes => _groupOpen ? _groupBytes : 0;

    /// <summary>The values that did not fit their column's type and were stored as null.</summary>
    public long RejectedValues => _buffer?.RejectedValues ?? 0;

    /// <summary>Appends one row (one value per column, in column order); hands a batch to the writer when the buffer is full.</summary>
    public void Append(ReadOnlySpan<JsonNode?> values)
    {
        EnsureWritable();
        _buffer ??= new TableRowBuffer(_columns);
        _buffer.Append(values);
        RowCount++;
        // A row group ends exactly at RowGroupRows rows (and at about RowGroupBytes): a batch does not cross it.
        var (groupRows, groupBytes) = _groupOpen ? (_groupRows, _groupBytes) : (0L, 0L);
        if (_buffer.RowCount >= Math.Min(_options.BatchRows, _options.RowGroupRows - groupRows)
            || _buffer.BufferedBytes >= Math.Min(_options.BatchBytes, _options.RowGroupBytes - groupBytes))
        {
            WriteBufferedRows();
        }
    }

    /// <summary>
    /// Appends the rows of a record batch with this sink's schema (e.g. built by another
    /// <see cref="TableRowBuffer"/> of the same columns). The batch is encoded before the call returns,
    /// so its memory may be reused afterwards. Rows appended one at a time before it are written first.
    /// </summary>
    public void Append(RecordBatch batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        EnsureWritable();
        if (!SameFields(batch.Schema, Schema)) throw new ArgumentException("the batch's schema is not the sink's", nameof(batch));
        WriteBufferedRows();
        if (batch.Length == 0) return;
        WriteBatch(batch, BatchBytes(batch));
        RowCount += batch.Length;
    }

    /// <summary>
    /// Writes the buffered rows and the open row group out now and closes the current part file, which frees the native
    /// writer's memory for this file (its column writers and buffers); the next rows start a new part. Nothing happens
    /// when no part is open.
    /// </summary>
    public void FlushRowGroup()
    {
        EnsureWritable();
        WriteBufferedRows();
        // A buffered row group is written out only when the next one starts or its file closes: close the part.
        if (_writer is not null && _partGroups > 0) ClosePart();
        _groupOpen = false;
    }

    /// <summary>Whether a part file is open (the native writer holds memory for it); false after <see cref="FlushRowGroup"/>.</summary>
    public bool HasOpenPart => _writer is not null;

    /// <summary>Writes the remaining rows and closes the file, which is then complete.</summary>
    public void Complete()
    {
        EnsureWritable();
        WriteBufferedRows();
        if (_writer is null && _parts.Count == 0) OpenPart(); // no rows: an empty file with the schema
        if (_writer is not null) ClosePart();
        if (_parts.Count == 1)
        {
            File.Move(_parts[0], Path, overwrite: true);
        }
        else
        {
            // The parts' column chunks are copied as they are, under one footer: the same file as one writer would make.
            Internal.ParquetPartConcatenator.Concatenate(_parts, Path);
            foreach (var part in _parts) File.Delete(part);
        }
        _parts.Clear();
        _completed = true;
        ReleaseProperties();
    }

    /// <summary>Closes the file; an unfinished file (no <see cref="Complete"/>) is deleted, with its parts.</summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        try
        {
            if (_writer is not null) ClosePart();
        }
        catch (ParquetException)
        {
            // The file is being abandoned; a failure to close it cleanly does not matter.
        }
        finally
        {
            _writer?.Dispose();
            _writer = null;
        }
        foreach (var part in _parts) File.Delete(part);
        _parts.Clear();
        if (_completed) return;
        File.Delete(Path);
        ReleaseProperties();
    }

    // A part is a complete Parquet file of at most PartRowGroups row groups; closing it frees the writer's metadata of
    // its row groups, which Parquet C++ otherwise keeps until the file is closed (~0.15 MiB per row group of a wide table).
    private void OpenPart()
    {
        var part = Path + ".part" + _parts.Count.ToString(System.Globalization.CultureInfo.InvariantCulture);
        _parts.Add(part);
        _writer = new FileWriter(part, Schema, _writerProperties, _arrowProperties);
        _partGroups = 0;
    }

    private void ClosePart()
    {
        _writer!.Close();
        _writer.Dispose();
        _writer = null;
    }

    private void ReleaseProperties()
    {
        _writerProperties.Dispose();
        _arrowProperties.Dispose();
    }

    private void WriteBufferedRows()
    {
        if (_buffer is null || _buffer.RowCount == 0) return;
        var bytes = _buffer.BufferedBytes;
        // The writer encodes the batch into the row group before returning, so the batch can use the
        // buffer's memory (no copy); the next append overwrites it.
        using var batch = _buffer.Flush(share: true);
        WriteBatch(batch, bytes);
    }

    private void WriteBatch(RecordBatch batch, long bytes)
    {
        if (!_groupOpen)
        {
            if (_writer is null)
            {
                OpenPart();
            }
            else if (_options.PartRowGroups > 0 && _partGroups == _options.PartRowGroups)
            {
                ClosePart();
                OpenPart();
            }
            _partGroups++;
            _writer!.NewBufferedRowGroup();
            _groupOpen = true;
            _groupRows = 0;
            _groupBytes = 0;
            RowGroupCount++;
        }
        _writer!.WriteBufferedRecordBatch(batch);
        _groupRows += batch.Length;
        _groupBytes += bytes;
        // The next batch starts a new row group; NewBufferedRowGroup writes this one out.
        if (_groupRows >= _options.RowGroupRows || _groupBytes >= _options.RowGroupBytes) _groupOpen = false;
    }

    private static long BatchBytes(RecordBatch batch)
    {
        long bytes = 0;
        foreach (var array in batch.Arrays) bytes += DataBytes(array.Data);
        return bytes;
    }

    private static long DataBytes(ArrayData data)
    {
        long bytes = 0;
        foreach (var buffer in data.Buffers) bytes += buffer.Length;
        foreach (var child in data.Children ?? []) bytes += DataBytes(child);
        return bytes;
    }

    private static bool SameFields(Schema a, Schema b)
    {
        if (a.FieldsList.Count != b.FieldsList.Count) return false;
        for (var i = 0; i < a.FieldsList.Count; i++)
        {
            if (a.FieldsList[i].Name != b.FieldsList[i].Name || a.FieldsList[i].DataType.TypeId != b.FieldsList[i].DataType.TypeId) return false;
        }
        return true;
    }

    private void EnsureWritable()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_completed) throw new InvalidOperationException($"the Parquet file {Path} is already complete");
    }
}
