using System.Text.Json;
using CloudInventory.Aws.Models;
using CloudInventory.Aws.Protocols;
using CloudInventory.Storage;
using CloudInventory.Storage.Internal;

namespace CloudInventory.Collection.Internal;

/// <summary>
/// Cuts a streamed response page into rows along a table's row path (<c>Reservations[].Instances[]</c>) and writes
/// each row's values straight into the table's column builders as the protocol reader announces them: no tree per
/// item, no JSON in between. Fields carried from enclosing objects (which may come after the rows) are kept as
/// recorded events and written when their object ends; a row counts in the buffer only once all its columns are
/// written. Malformed scalars are nulls and reported with their member path.
/// </summary>
internal sealed class RowReader : IShapeVisitor
{
    private const int OffPath = -1;

    private enum FrameKind : byte
    {
        Structure,
        List,
        Row,
    }

    private readonly TableRowLayout _layout;
    private readonly TableRowBuffer _rows;
    private readonly string _accountId;
    private readonly string _region;
    private readonly DateTimeOffset _reportTime;
    private readonly Action<int, bool>? _onRowsComplete;
    private readonly Action<MalformedValue>? _onMalformed;
    private readonly IReadOnlyDictionary<string, RecordedValue?>? _parent;
    private readonly IReadOnlySet<string>? _keep;
    private readonly Action<Dictionary<string, RecordedValue?>>? _onRow;
    private readonly Queue<Dictionary<string, RecordedValue?>> _waiting = new(); // kept values of rows not yet complete
    private Dictionary<string, RecordedValue?>? _rowValues;
    private string? _teeColumn;
    private readonly TeeVisitor _tee;
    private readonly ColumnValueWriter _writer = new();
    private readonly bool[] _set;
    private readonly CarriedSlot[] _slots;

    private (int Matched, FrameKind Kind)[] _frames = new (int, FrameKind)[16];
    private int _frameCount;
    private string? _pendingMember;
    private bool _routing; // events go to the writer
    private bool _scalarRow; // the value being written is the row itself
    private RecordedValue? _recording; // events go to a carried field's recording
    private int _rowsEmitted;
    private int _completed;

    private readonly MemberPathTracker _path = new();
    private int _reportList = -1; // path depth of the list within whose items malformed values are reported

    /// <param name="layout">Where the table's columns come from.</param>
    /// <param name="rows">The buffer the rows are written into.</param>
    /// <param name="accountId">The account_id column's value.</param>
    /// <param name="region">The region column's value.</param>
    /// <param name="reportTime">The report_time column's value.</param>
    /// <param name="onRowsComplete">
    /// Rows whose columns are all written, counted in <paramref name="rows"/>, and whether the buffer holds no values of
    /// unfinished rows (so it may be handed on). Null: the caller completes rows itself (enrichment columns to come).
    /// </param>
    /// <param name="onMalformed">A malformed scalar met.</param>
    /// <param name="parent">The parent row's kept values (child tables).</param>
    /// <param name="keep">Columns whose values the caller needs per row (child and enrichment inputs).</param>
    /// <param name="onRow">Each row's kept values, in row order, once the row's values are written.</param>
    public RowReader(TableRowLayout layout, TableRowBuffer rows, string accountId, string region, DateTimeOffset reportTime,
        Action<int, bool>? onRowsComplete, Action<MalformedValue>? onMalformed = null,
        IReadOnlyDictionary<string, RecordedValue?>? parent = null, IReadOnlySet<string>? keep = null,
        Action<Dictionary<string, RecordedValue?>>? onRow = null)
    {
        _parent = parent;
        _keep = keep is { Count: > 0 } ? keep : null;
        _onRow = onRow;
        _tee = new TeeVisitor(_writer);
        _layout = layout;
        _rows = rows;
        _accountId = accountId;
        _region = region;
        _reportTime = reportTime;
        _onRowsComplete = onRowsComplete;
        _onMalformed = onMalformed;
        _set = new bool[rows.Columns.Count];
        _slots = layout.Carried.Select(c => new CarriedSlot(c)).ToArray();
    }

    public void StartStructure(Shape shape)
    {
        _path.Open(0);
        if (Forward()) { Target.StartStructure(shape); AfterForward(); return; }
        var level = NextLevel(isList: false, out var skip);
        if (skip) { PushFrame(OffPath, FrameKind.Structure); return; }
        if (level == _layout.Segments.Length)
        {
            BeginRow();
            PushFrame(level, FrameKind.Row);
            return;
        }
        PushFrame(level, FrameKind.Structure);
        foreach (var slot in _slots)
        {
            if (slot.Column.Level == level) slot.Begin(_rowsEmitted, _keep is not null && _keep.Contains(_layout.Table.Columns[slot.Column.Column].Name));
        }
    }

    public void Member(Member member)
    {
        _path.Member(member.Name);
        if (Forward()) { Target.Member(member); return; }
        if (_frameCount == 0) return;
        var (matched, kind) = _frames[_frameCount - 1];
        if (kind == FrameKind.Row)
        {
            RouteMember(member.Name);
            return;
        }
        if (matched != OffPath && kind == FrameKind.Structure)
        {
            foreach (var slot in _slots)
            {
                if (slot.Column.Level == matched && slot.Column.Member == member.Name)
                {
                    _recording = slot.Value;
                    return;
                }
            }
        }
        _pendingMember = member.Name;
    }

    public void EndStructure(Shape shape)
    {
        if (Forward()) { Target.EndStructure(shape); AfterForward(); ClosePath(); return; }
        ClosePath();
        var (matched, kind) = PopFrame();
        if (kind == FrameKind.Row)
        {
            EndRow();
            return;
        }
        if (matched == OffPath) return;
        var wrote = false;
        foreach (var slot in _slots)
        {
            if (slot.Column.Level == matched && slot.Open)
            {
                var column = _layout.Table.Columns[slot.Column.Column];
                var rowsBefore = slot.Written;
                slot.End(_rowsEmitted, _rows.Builder(slot.Column.Column), column.Conversion, _writer);
                if (_keep is not null && _keep.Contains(column.Name))
                {
                    // The rows waiting are the oldest not yet complete; this slot's rows are its last ones written.
                    var value = slot.Value.Complete ? slot.Value : null;
                    var skip = rowsBefore - _completed;
                    foreach (var row in _waiting.Skip(skip).Take(slot.Written - rowsBefore)) row[column.Name] = value;
                }
                wrote = true;
            }
        }
        if (wrote) Complete();
    }

    public void StartList(Shape shape)
    {
        _path.Open(1);
        if (Forward()) { Target.StartList(shape); AfterForward(); return; }
        if (_frameCount == 0) { PushFrame(OffPath, FrameKind.List); return; }
        var (matched, kind) = _frames[_frameCount - 1];
        var member = TakeMember();
        if (matched == OffPath || kind == FrameKind.List) { PushFrame(OffPath, FrameKind.List); return; }
        var segments = _layout.Segments;
        var onPath = matched < segments.Length && member == segments[matched].Member && segments[matched].IsList;
        if (onPath && matched == _layout.ReportLevel) _reportList = _path.Depth - 1;
        PushFrame(onPath ? matched : OffPath, FrameKind.List);
    }

    public void EndList(Shape shape)
    {
        if (Forward()) { Target.EndList(shape); AfterForward(); ClosePath(); return; }
        ClosePath();
        PopFrame();
    }

    public void StartMap(Shape shape)
    {
        _path.Open(2);
        if (Forward()) { Target.StartMap(shape); AfterForward(); return; }
        if (RowValueHere()) { Target.StartMap(shape); AfterForward(); return; }
        TakeMember();
        PushFrame(OffPath, FrameKind.Structure);
    }

    public void MapKey(string key)
    {
        _path.Value();
        if (Forward()) Target.MapKey(key);
    }

    public void EndMap(Shape shape)
    {
        if (Forward()) { Target.EndMap(shape); AfterForward(); ClosePath(); return; }
        ClosePath();
        PopFrame();
    }

    public void String(string value)
    {
        if (Scalar()) { Target.String(value); AfterForward(); }
    }

    public void Integer(long value)
    {
        if (Scalar()) { Target.Integer(value); AfterForward(); }
    }

    public void Double(double value)
    {
        if (Scalar()) { Target.Double(value); AfterForward(); }
    }

    public void Boolean(bool value)
    {
        if (Scalar()) { Target.Boolean(value); AfterForward(); }
    }

    public void Timestamp(DateTimeOffset value)
    {
        if (Scalar()) { Target.Timestamp(value); AfterForward(); }
    }

    public void Blob(byte[] value)
    {
        if (Scalar()) { Target.Blob(value); AfterForward(); }
    }

    public void Document(JsonElement value)
    {
        if (Scalar()) { Target.Document(value); AfterForward(); }
    }

    public void Null()
    {
        if (Scalar()) { Target.Null(); AfterForward(); }
    }

    /// <summary>A malformed scalar: a null in its column, reported with its path from the top of the output.</summary>
    public void Malformed(Shape shape, string text)
    {
        if (_onMalformed is not null && (_layout.ReportLevel < 0 || (_reportList >= 0 && _path.Depth >= _reportList + 2) || RowValueAt()))
        {
            _onMalformed(new MalformedValue(_path.ToString(), MalformedValue.TypeName(shape), text));
        }
        if (Scalar()) { Target.Malformed(shape, text); AfterForward(); }
    }

    // Where events go while a value is written or recorded.
    private IShapeVisitor Target => _recording is not null ? _recording : _teeColumn is not null ? _tee : _writer;

    private bool Forward() => _routing || _recording is not null;

    // A scalar event: forwarded when inside a value; a row by itself when it stands at the row's place.
    private bool Scalar()
    {
        _path.Value();
        if (Forward()) return true;
        if (RowValueHere()) return true;
        TakeMember();
        return false;
    }

    // After a forwarded event: a finished value ends the routing (and a single-value row).
    private void AfterForward()
    {
        if (_recording is not null)
        {
            if (_recording.Complete) _recording = null;
            return;
        }
        if (!_writer.Done) return;
        _routing = false;
        if (_teeColumn is not null)
        {
            _rowValues![_teeColumn] = _tee.Recording;
            _teeColumn = null;
        }
        if (_scalarRow)
        {
            _scalarRow = false;
            EndRow();
        }
    }

    // True when a non-structure value at this place is a row by itself (the items of ListClusters): it is then routed.
    private bool RowValueHere()
    {
        if (!RowValueAt()) return false;
        TakeMember();
        BeginRow();
        _scalarRow = true;
        if (_layout.WholeRowColumns.Length > 0)
        {
            var column = _layout.WholeRowColumns[0];
            _set[column] = true;
            BeginColumn(column, _rows.Builder(column));
        }
        else
        {
            _writer.BeginSkip();
        }
        _routing = true;
        return true;
    }

    private bool RowValueAt()
    {
        if (_frameCount == 0 || Forward()) return false;
        var (matched, kind) = _frames[_frameCount - 1];
        var segments = _layout.Segments;
        if (matched == OffPath || kind == FrameKind.Row || segments.Length == 0) return false;
        if (kind == FrameKind.List) return matched == segments.Length - 1;
        return matched == segments.Length - 1 && !segments[matched].IsList && _pendingMember == segments[matched].Member;
    }

    // The path level of a structure starting here, and whether it is off the path.
    private int NextLevel(bool isList, out bool skip)
    {
        skip = false;
        if (_frameCount == 0) return 0;
        var (matched, kind) = _frames[_frameCount - 1];
        if (matched == OffPath || kind == FrameKind.Row) { TakeMember(); skip = true; return OffPath; }
        if (kind == FrameKind.List) return matched + 1;
        var member = TakeMember();
        var segments = _layout.Segments;
        var onPath = matched < segments.Length && member == segments[matched].Member && segments[matched].IsList == isList;
        if (!onPath) skip = true;
        return matched + 1;
    }

    private void RouteMember(string member)
    {
        _routing = true;
        if (!_layout.ByMember.TryGetValue(member, out var column))
        {
            _writer.BeginSkip();
            return;
        }
        var builder = _rows.Builder(column);
        if (_set[column])
        {
            // A list or map member announced again (flattened XML items apart): its items join the first ones.
            switch (builder)
            {
                case ListColumnBuilder list: list.Reopen(); break;
                case MapColumnBuilder map: map.Reopen(); break;
                default: _writer.BeginSkip(); return;
            }
        }
        _set[column] = true;
        BeginColumn(column, builder);
    }

    // The value about to be read goes into a column (and is kept when the caller needs it).
    private void BeginColumn(int column, ColumnBuilder builder)
    {
        _writer.Begin(builder, _layout.Table.Columns[column].Conversion);
        var name = _layout.Table.Columns[column].Name;
        if (_rowValues is not null && _keep!.Contains(name))
        {
            _teeColumn = name;
            _tee.Recording = new RecordedValue();
        }
    }

    private void BeginRow()
    {
        Array.Clear(_set);
        if (_keep is not null) _rowValues = new Dictionary<string, RecordedValue?>(StringComparer.Ordinal);
    }

    private void EndRow()
    {
        foreach (var column in _layout.ByMember.Values)
        {
            if (!_set[column]) _rows.Builder(column).AppendNull();
        }
        foreach (var column in _layout.WholeRowColumns)
        {
            if (!_set[column]) _rows.Builder(column).AppendNull();
        }
        if (_layout.AccountColumn >= 0) _rows.Builder(_layout.AccountColumn).AppendString(_accountId);
        if (_layout.RegionColumn >= 0) _rows.Builder(_layout.RegionColumn).AppendString(_region);
        if (_layout.ReportTimeColumn >= 0) _rows.Builder(_layout.ReportTimeColumn).AppendTimestamp(_reportTime);
        foreach (var (column, parentColumn) in _layout.ParentColumns)
        {
            if (_parent is not null && _parent.TryGetValue(parentColumn, out var value) && value is not null)
            {
                _writer.Begin(_rows.Builder(column), _layout.Table.Columns[column].Conversion);
                value.Replay(_writer);
            }
            else
            {
                _rows.Builder(column).AppendNull();
            }
            Keep(column, _parent?.GetValueOrDefault(parentColumn));
        }
        if (_rowValues is not null)
        {
            if (_layout.AccountColumn >= 0) Keep(_layout.AccountColumn, RecordedValue.Of(_accountId));
            if (_layout.RegionColumn >= 0) Keep(_layout.RegionColumn, RecordedValue.Of(_region));
            _waiting.Enqueue(_rowValues);
            _rowValues = null;
        }
        _rowsEmitted++;
        Complete();
    }

    // Rows whose carried fields are written too count in the buffer.
    private void Complete()
    {
        // Every row lies inside the enclosing objects its carried fields come from, so it is complete once each is written.
        var complete = _rowsEmitted;
        foreach (var slot in _slots) complete = Math.Min(complete, slot.Written);
        if (complete <= _completed) return;
        var added = complete - _completed;
        _completed = complete;
        for (var i = 0; i < added && _waiting.Count > 0; i++) _onRow?.Invoke(_waiting.Dequeue());
        if (_onRowsComplete is null) return;
        _rows.CompleteRows(added);
        // Aligned: no column holds values of rows still waiting for a carried field, so the buffer may be handed on.
        _onRowsComplete(added, complete == _rowsEmitted);
    }

    private void Keep(int column, RecordedValue? value)
    {
        var name = _layout.Table.Columns[column].Name;
        if (_rowValues is not null && _keep!.Contains(name)) _rowValues[name] = value;
    }

    private string? TakeMember()
    {
        var member = _pendingMember;
        _pendingMember = null;
        return member;
    }

    private void PushFrame(int matched, FrameKind kind)
    {
        if (_frameCount == _frames.Length) Array.Resize(ref _frames, _frameCount * 2);
        _frames[_frameCount++] = (matched, kind);
    }

    private (int Matched, FrameKind Kind) PopFrame() => _frames[--_frameCount];

    private void ClosePath()
    {
        _path.Close();
        if (_path.Depth <= _reportList) _reportList = -1;
    }

    /// <summary>A carried column's recorded value in the enclosing object being read, and the rows it is written into.</summary>
    private sealed class CarriedSlot(TableRowLayout.CarriedColumn column)
    {
        private int _rowsAtStart;

        public TableRowLayout.CarriedColumn Column { get; } = column;

        public RecordedValue Value { get; private set; } = new();

        public bool Open { get; private set; }

        public int Written { get; private set; }

        public void Begin(int rowsEmitted, bool kept)
        {
            // A kept value is shared by the rows that carry it: a fresh recording for each enclosing object.
            if (kept) Value = new RecordedValue();
            else Value.Clear();
            _rowsAtStart = rowsEmitted;
            Open = true;
        }

        public void End(int rowsEmitted, ColumnBuilder builder, Catalog.ColumnConversion conversion, ColumnValueWriter writer)
        {
            for (var i = _rowsAtStart; i < rowsEmitted; i++)
            {
                if (!Value.Complete)
                {
                    builder.AppendNull();
                    continue;
                }
                writer.Begin(builder, conversion);
                Value.Replay(writer);
            }
            Written += rowsEmitted - _rowsAtStart;
            Open = false;
        }
    }

    /// <summary>Gives each event to the column writer and to a recording (a value the caller keeps).</summary>
    private sealed class TeeVisitor(ColumnValueWriter writer) : IShapeVisitor
    {
        public RecordedValue Recording { get; set; } = new();

        public void StartStructure(Shape shape) { writer.StartStructure(shape); Recording.StartStructure(shape); }

        public void Member(Member member) { writer.Member(member); Recording.Member(member); }

        public void EndStructure(Shape shape) { writer.EndStructure(shape); Recording.EndStructure(shape); }

        public void StartList(Shape shape) { writer.StartList(shape); Recording.StartList(shape); }

        public void EndList(Shape shape) { writer.EndList(shape); Recording.EndList(shape); }

        public void StartMap(Shape shape) { writer.StartMap(shape); Recording.StartMap(shape); }

        public void MapKey(string key) { writer.MapKey(key); Recording.MapKey(key); }

        public void EndMap(Shape shape) { writer.EndMap(shape); Recording.EndMap(shape); }

        public void String(string value) { writer.String(value); Recording.String(value); }

        public void Integer(long value) { writer.Integer(value); Recording.Integer(value); }

        public void Double(double value) { writer.Double(value); Recording.Double(value); }

        public void Boolean(bool value) { writer.Boolean(value); Recording.Boolean(value); }

        public void Timestamp(DateTimeOffset value) { writer.Timestamp(value); Recording.Timestamp(value); }

        public void Blob(byte[] value) { writer.Blob(value); Recording.Blob(value); }

        public void Document(JsonElement value) { writer.Document(value); Recording.Document(value); }

        public void Null() { writer.Null(); Recording.Null(); }

        public void Malformed(Shape shape, string text) { writer.Malformed(shape, text); Recording.Malformed(shape, text); }
    }
}
