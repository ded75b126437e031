using System.Text.Json.Nodes;
using Apache.Arrow;
using CloudInventory.Catalog;
using Column = CloudInventory.Catalog.Column;
using Table = CloudInventory.Catalog.Table;
using CloudInventory.Storage.Internal;

namespace CloudInventory.Storage;

/// <summary>
/// The rows of one table accumulated column-wise, one row at a time, into growable Arrow buffers
/// (recursively for structs, lists and maps), and handed out as an Arrow <see cref="RecordBatch"/>
/// by <see cref="Flush()"/>. Values come as <see cref="JsonNode"/> trees: strings, numbers, booleans,
/// <see cref="DateTimeOffset"/>-backed values for timestamps, <c>byte[]</c>-backed values (or base64
/// text) for binary, objects for structs and maps, arrays for lists; a JSON column takes any node
/// and stores its JSON text. A value that does not fit its column's type is converted when that is
/// lossless, otherwise stored as null and counted in <see cref="RejectedValues"/>.
/// Not thread-safe: one writer at a time.
/// </summary>
public sealed class TableRowBuffer
{
    private readonly ColumnBuilder[] _builders;
    private readonly RejectionCounter[] _rejections;

    /// <summary>A buffer for the columns of <paramref name="table"/>.</summary>
    public TableRowBuffer(Table table) : this((table ?? throw new ArgumentNullException(nameof(table))).Columns) { }

    /// <summary>A buffer for <paramref name="columns"/>, in that order.</summary>
    public TableRowBuffer(IReadOnlyList<Column> columns)
    {
        ArgumentNullException.ThrowIfNull(columns);
        if (columns.Count == 0) throw new ArgumentException("a table needs at least one column", nameof(columns));
        Columns = columns;
        Schema = ArrowTypeMapping.ToArrowSchema(columns);
        _builders = new ColumnBuilder[columns.Count];
        _rejections = new RejectionCounter[columns.Count];
        for (var i = 0; i < columns.Count; i++)
        {
            _rejections[i] = new RejectionCounter();
            _builders[i] = ColumnBuilder.Create(columns[i].Type, _rejections[i]);
        }
    }

    /// <summary>The columns, in the order <see cref="Append"/> takes their values.</summary>
    public IReadOnlyList<Column> Columns { get; }

    /// <summary>The Arrow schema of the batches.</summary>
    public Schema Schema { get; }

    /// <summary>The rows appended since the last flush.</summary>
    public int RowCount { get; private set; }

    /// <summary>The bytes the buffered rows occupy in Arrow buffers: what a flush would hand over.</summary>
    public long BufferedBytes
    {
        get
        {
            long size = 0;
            foreach (var builder in _builders) size += builder.ByteSize;
            return size;
        }
    }

    /// <summary>The values, since the buffer was made, that did not fit their column's type and were stored as null.</summary>
    public long RejectedValues
    {
        get
        {
            long count = 0;
            foreach (var counter in _rejections) count += counter.Count;
            return count;
        }
    }

    /// <summary>The rejected values of one column (nested values included), by column position.</summary>
    public long RejectedValuesOf(int columnIndex) => _rejections[columnIndex].Count;

    /// <summary>Appends one row: one value per column, in column order (null for a missing value).</summary>
    public void Append(ReadOnlySpan<JsonNode?> values)
    {
        if (values.Length != _builders.Length)
        {
            throw new ArgumentException($"a row of {Columns.Count} columns was expected, {values.Length} values were given", nameof(values));
        }
        for (var i = 0; i < _builders.Length; i++) _builders[i].Append(values[i]);
        RowCount++;
    }

    /// <summary>The builder of a column, for values written straight into it (the collector's row reader).</summary>
    internal ColumnBuilder Builder(int column) => _builders[column];

    /// <summary>Counts rows whose values were written straight into every column's builder.</summary>
    internal void CompleteRows(int count) => RowCount += count;

    /// <summary>Undoes the values written for rows that were not completed (a response that failed half-way).</summary>
    internal void DiscardIncompleteRows()
    {
        foreach (var builder in _builders)
        {
            if (builder.Length > RowCount) builder.Truncate(RowCount);
        }
    }

    /// <summary>Forgets the buffered rows (of a table collected only for its child tables).</summary>
    internal void DiscardRows()
    {
        RowCount = 0;
        DiscardIncompleteRows();
    }

    /// <summary>The buffered rows as a record batch (possibly empty); the buffer is then empty, its capacity kept for the next rows.</summary>
    public RecordBatch Flush() => Flush(share: false);

    /// <summary>
    /// As <see cref="Flush()"/>; with <paramref name="share"/> the batch uses the buffer's own memory
    /// instead of copies and is valid only until the next <see cref="Append"/>: for a consumer (the
    /// Parquet writer) that is done with it before then.
    /// </summary>
    internal RecordBatch Flush(bool share)
    {
        var arrays = new IArrowArray[_builders.Length];
        for (var i = 0; i < arrays.Length; i++) arrays[i] = ArrowArrayFactory.BuildArray(_builders[i].Build(share));
        var batch = new RecordBatch(Schema, arrays, RowCount);
        RowCount = 0;
        return batch;
    }
}
