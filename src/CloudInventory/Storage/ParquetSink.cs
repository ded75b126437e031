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
/// writer. Rows are buffered in a <see cref="TableRowBuffer"/> and written as a row group whenever
/// the buffer reaches <see cref="ParquetSinkOptions.RowGroupRows"/> rows or
/// <see cref="ParquetSinkOptions.RowGroupBytes"/> bytes, so a table is never held whole in memory.
/// The file holds the table's columns; <c>report_date</c> is only the Hive partition and is not stored.
/// Call <see cref="Complete"/> to finish the file; disposing an unfinished sink deletes it.
/// </summary>
public sealed class ParquetSink : IDisposable
{
    private readonly TableRowBuffer _buffer;
    private readonly ParquetSinkOptions _options;
    private FileWriter? _writer;
    private bool _completed;

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
        _buffer = new TableRowBuffer(columns);
        Path = path;

        using var writerProperties = new WriterPropertiesBuilder()
            .Compression(Compression.Zstd)
            .CompressionLevel(_options.CompressionLevel)
            .CreatedBy(_options.CreatedBy)
            .Build();
        using var arrowProperties = new ArrowWriterPropertiesBuilder().Build();
        _writer = new FileWriter(path, _buffer.Schema, writerProperties, arrowProperties);
    }

    /// <summary>The file being written.</summary>
    public string Path { get; }

    /// <summary>The Arrow schema of the file.</summary>
    public Schema Schema => _buffer.Schema;

    /// <summary>The rows appended so far (written or buffered).</summary>
    public long RowCount { get; private set; }

    /// <summary>The row groups written so far.</summary>
    public int RowGroupCount { get; private set; }

    /// <summary>The values that did not fit their column's type and were stored as null.</summary>
    public long RejectedValues => _buffer.RejectedValues;

    /// <summary>Appends one row (one value per column, in column order); writes a row group when the buffer is full.</summary>
    public void Append(ReadOnlySpan<JsonNode?> values)
    {
        EnsureWritable();
        _buffer.Append(values);
        RowCount++;
        if (_buffer.RowCount >= _options.RowGroupRows || _buffer.BufferedBytes >= _options.RowGroupBytes)
        {
            WriteBufferedRows();
        }
    }

    /// <summary>Writes the buffered rows as a row group now (nothing when none are buffered).</summary>
    public void FlushRowGroup()
    {
        EnsureWritable();
        WriteBufferedRows();
    }

    /// <summary>Writes the remaining rows and closes the file, which is then complete.</summary>
    public void Complete()
    {
        EnsureWritable();
        WriteBufferedRows();
        _writer!.Close();
        _writer.Dispose();
        _writer = null;
        _completed = true;
    }

    /// <summary>Closes the file; an unfinished file (no <see cref="Complete"/>) is deleted.</summary>
    public void Dispose()
    {
        if (_writer is null) return;
        try
        {
            _writer.Close();
        }
        catch (ParquetException)
        {
            // The file is being abandoned; a failure to close it cleanly does not matter.
        }
        finally
        {
            _writer.Dispose();
            _writer = null;
        }
        if (!_completed) File.Delete(Path);
    }

    private void WriteBufferedRows()
    {
        if (_buffer.RowCount == 0) return;
        // The writer encodes the batch into a complete row group before returning, so the batch can
        // use the buffer's memory (no copy); the next append overwrites it.
        using var batch = _buffer.Flush(share: true);
        _writer!.WriteRecordBatch(batch);
        RowGroupCount++;
    }

    private void EnsureWritable()
    {
        ObjectDisposedException.ThrowIf(_writer is null && !_completed, this);
        if (_completed) throw new InvalidOperationException($"the Parquet file {Path} is already complete");
    }
}
