using System.Text;
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
    private readonly Action<int, bool> _onRowsComplete;
    private readonly Action<MalformedValue>? _onMalformed;
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

    // The member path of the open values, for warnings: names and kinds from the top of the output.
    private string?[] _pathNames = new string?[32];
    private byte[] _pathKinds = new byte[32]; // 0 structure, 1 list, 2 map
    private int _pathDepth;
    private string? _pathPending;
    private int _reportList = -1; // path depth of the list within whose items malformed values are reported

    public RowReader(TableRowLayout layout, TableRowBuffer rows, string accountId, string region, DateTimeOffset reportTime,
        Action<int, bool> onRowsComplete, Action<MalformedValue>? onMalformed = null)
    {
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
        OpenPath(0);
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
            if (slot.Column.Level == level) slot.Begin(_rowsEmitted);
        }
    }

    public void Member(Member member)
    {
        _pathPending = member.Name;
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
                    slot.Value.Clear();
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
                slot.End(_rowsEmitted, _rows.Builder(slot.Column.Column), _layout.Table.Columns[slot.Column.Column].Conversion, _writer);
                wrote = true;
            }
        }
        if (wrote) Complete();
    }

    public void StartList(Shape shape)
    {
        OpenPath(1);
        if (Forward()) { Target.StartList(shape); AfterForward(); return; }
        if (_frameCount == 0) { PushFrame(OffPath, FrameKind.List); return; }
        var (matched, kind) = _frames[_frameCount - 1];
        var member = TakeMember();
        if (matched == OffPath || kind == FrameKind.List) { PushFrame(OffPath, FrameKind.List); return; }
        var segments = _layout.Segments;
        var onPath = matched < segments.Length && member == segments[matched].Member && segments[matched].IsList;
        if (onPath && matched == _layout.ReportLevel) _reportList = _pathDepth - 1;
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
        OpenPath(2);
        if (Forward()) { Target.StartMap(shape); AfterForward(); return; }
        if (RowValueHere()) { Target.StartMap(shape); AfterForward(); return; }
        TakeMember();
        PushFrame(OffPath, FrameKind.Structure);
    }

    public void MapKey(string key)
    {
        _pathPending = null;
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
        if (_onMalformed is not null && (_layout.ReportLevel < 0 || (_reportList >= 0 && _pathDepth >= _reportList + 2) || RowValueAt()))
        {
            _onMalformed(new MalformedValue(PathOf(), MalformedValue.TypeName(shape), text));
        }
        if (Scalar()) { Target.Malformed(shape, text); AfterForward(); }
    }

    // Where events go while a value is written or recorded.
    private IShapeVisitor Target => _recording is not null ? _recording : _writer;

    private bool Forward() => _routing || _recording is not null;

    // A scalar event: forwarded when inside a value; a row by itself when it stands at the row's place.
    private bool Scalar()
    {
        _pathPending = null;
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
            _writer.Begin(_rows.Builder(column), _layout.Table.Columns[column].Conversion);
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
        _writer.Begin(builder, _layout.Table.Columns[column].Conversion);
    }

    private void BeginRow() => Array.Clear(_set);

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
        _rows.CompleteRows(added);
        // Aligned: no column holds values of rows still waiting for a carried field, so the buffer may be handed on.
        _onRowsComplete(added, complete == _rowsEmitted);
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

    private void OpenPath(byte kind)
    {
        if (_pathDepth == _pathNames.Length)
        {
            Array.Resize(ref _pathNames, _pathDepth * 2);
            Array.Resize(ref _pathKinds, _pathDepth * 2);
        }
        _pathNames[_pathDepth] = _pathDepth > 0 && _pathKinds[_pathDepth - 1] == 0 ? _pathPending : null;
        _pathKinds[_pathDepth] = kind;
        _pathDepth++;
        _pathPending = null;
    }

    private void ClosePath()
    {
        _pathDepth--;
        if (_pathDepth <= _reportList) _reportList = -1;
        _pathPending = null;
    }

    // The member path of the value about to be read: Reservations[].Instances[].State.Code; map keys are not part of it.
    private string PathOf()
    {
        var path = new StringBuilder();
        for (var i = 1; i < _pathDepth; i++)
        {
            if (_pathNames[i] is { } name)
            {
                if (path.Length > 0) path.Append('.');
                path.Append(name);
            }
            if (_pathKinds[i] == 1) path.Append("[]");
            else if (_pathKinds[i] == 2) path.Append("{}");
        }
        if (_pathDepth > 0 && _pathKinds[_pathDepth - 1] == 2) return path.ToString();
        if (_pathPending is { } pending)
        {
            if (path.Length > 0) path.Append('.');
            path.Append(pending);
        }
        return path.ToString();
    }

    /// <summary>A carried column's recorded value in the enclosing object being read, and the rows it is written into.</summary>
    private sealed class CarriedSlot(TableRowLayout.CarriedColumn column)
    {
        private int _rowsAtStart;

        public TableRowLayout.CarriedColumn Column { get; } = column;

        public RecordedValue Value { get; } = new();

        public bool Open { get; private set; }

        public int Written { get; private set; }

        public void Begin(int rowsEmitted)
        {
            Value.Clear();
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
}
