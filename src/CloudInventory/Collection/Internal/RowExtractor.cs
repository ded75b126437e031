using System.Text.Json;
using System.Text.Json.Nodes;
using CloudInventory.Aws.Models;
using CloudInventory.Aws.Protocols;
using CloudInventory.Catalog;

namespace CloudInventory.Collection.Internal;

/// <summary>
/// Cuts a streamed response page into rows along a table's row path (<c>Reservations[].Instances[]</c>).
/// Only one item of the first list on the path is held as a tree at a time (e.g. one reservation with
/// its instances), so memory does not grow with the page. Rows are handed on with the enclosing objects
/// they may carry fields from.
/// </summary>
internal sealed class RowExtractor : IShapeVisitor
{
    private const int OffPath = -1;

    private readonly RowPathSegment[] _segments;
    private readonly int _capture; // the list segment whose items are captured whole; -1 captures the whole output
    private readonly Action<ExtractedRow> _onRow;
    private readonly Action<MalformedValue>? _onMalformed;
    private readonly string _capturePrefix; // the member path down to a captured item: "Reservations[]"
    private readonly Stack<(int Matched, bool IsList)> _frames = new();
    private string? _pendingMember;
    private ValueTreeBuilder? _builder; // while an item is being captured
    private ValueTreeBuilder? _trees;
    private int _builderDepth;

    public RowExtractor(RowPath rowPath, IEnumerable<RowPath> carriedPrefixes, Action<ExtractedRow> onRow, Action<MalformedValue>? onMalformed = null)
    {
        _segments = rowPath.Segments.ToArray();
        _onRow = onRow;
        _onMalformed = onMalformed;
        var firstList = Array.FindIndex(_segments, s => s.IsList);
        // Fields carried from outside the first list's items need the whole output.
        var outside = carriedPrefixes.Any(p => p.Segments.Count <= firstList);
        _capture = firstList < 0 || outside ? -1 : firstList;
        _capturePrefix = _capture < 0 ? "" : PathText(_capture + 1);
    }

    // The first `count` segments as a member path: Reservations[].Instances[]
    private string PathText(int count) =>
        string.Join('.', _segments.Take(count).Select(s => s.IsList ? s.Member + "[]" : s.Member));

    public void StartStructure(Shape shape)
    {
        // No lambdas on these paths: they run for every value of every page.
        if (_builder is not null) { _builderDepth++; _builder.StartStructure(shape); return; }
        if (_frames.Count == 0)
        {
            if (_capture < 0) { BeginCapture().StartStructure(shape); return; }
            _frames.Push((0, false));
            return;
        }
        var (matched, isList) = _frames.Peek();
        if (matched == OffPath) { _frames.Push((OffPath, false)); return; }
        if (isList)
        {
            if (matched == _capture) { BeginCapture().StartStructure(shape); return; }
            _frames.Push((matched + 1, false));
            return;
        }
        var member = TakeMember();
        var onPath = matched < _segments.Length && member == _segments[matched].Member && !_segments[matched].IsList;
        _frames.Push((onPath ? matched + 1 : OffPath, false));
    }

    public void Member(Member member)
    {
        if (_builder is not null) { _builder.Member(member); return; }
        _pendingMember = member.Name;
    }

    public void EndStructure(Shape shape)
    {
        if (_builder is not null) { _builder.EndStructure(shape); Closed(); return; }
        _frames.Pop();
    }

    public void StartList(Shape shape)
    {
        if (_builder is not null) { _builderDepth++; _builder.StartList(shape); return; }
        if (_frames.Count == 0) { _frames.Push((OffPath, true)); return; }
        var (matched, isList) = _frames.Peek();
        if (matched == OffPath || isList) { TakeMember(); _frames.Push((OffPath, true)); return; }
        var member = TakeMember();
        var onPath = matched < _segments.Length && member == _segments[matched].Member && _segments[matched].IsList;
        _frames.Push((onPath ? matched : OffPath, true));
    }

    public void EndList(Shape shape)
    {
        if (_builder is not null) { _builder.EndList(shape); Closed(); return; }
        _frames.Pop();
    }

    public void StartMap(Shape shape)
    {
        if (_builder is not null) { _builderDepth++; _builder.StartMap(shape); return; }
        TakeMember();
        _frames.Push((OffPath, false));
    }

    public void MapKey(string key) => _builder?.MapKey(key);

    public void EndMap(Shape shape)
    {
        if (_builder is not null) { _builder.EndMap(shape); Closed(); return; }
        _frames.Pop();
    }

    public void String(string value)
    {
        if (_builder is not null) _builder.String(value);
        else if (ScalarRowLevel() is var level and >= 0) Emit(JsonValue.Create(value), [], level);
    }

    public void Integer(long value)
    {
        if (_builder is not null) _builder.Integer(value);
        else if (ScalarRowLevel() is var level and >= 0) Emit(JsonValue.Create(value), [], level);
    }

    public void Double(double value)
    {
        if (_builder is not null) _builder.Double(value);
        else if (ScalarRowLevel() is var level and >= 0) Emit(JsonValue.Create(value), [], level);
    }

    public void Boolean(bool value)
    {
        if (_builder is not null) _builder.Boolean(value);
        else if (ScalarRowLevel() is var level and >= 0) Emit(JsonValue.Create(value), [], level);
    }

    public void Timestamp(DateTimeOffset value)
    {
        if (_builder is not null) _builder.Timestamp(value);
        else if (ScalarRowLevel() is var level and >= 0) Emit(JsonValue.Create(value.ToUniversalTime()), [], level);
    }

    public void Blob(byte[] value)
    {
        if (_builder is not null) _builder.Blob(value);
        else if (ScalarRowLevel() is var level and >= 0) Emit(JsonValue.Create(value), [], level);
    }

    public void Document(JsonElement value)
    {
        if (_builder is not null) _builder.Document(value);
        else if (ScalarRowLevel() is var level and >= 0) Emit(JsonNode.Parse(value.GetRawText()), [], level);
    }

    public void Null() => _builder?.Null();

    /// <summary>A malformed scalar: a null in the item's tree; reported with its path from the top of the output.</summary>
    public void Malformed(Shape shape, string text)
    {
        if (_builder is not null)
        {
            _builder.Malformed(shape, text);
            return;
        }
        // A scalar row by itself (rare): its path is the row path.
        if (ScalarRowLevel() >= 0) _onMalformed?.Invoke(new MalformedValue(PathText(_segments.Length), MalformedValue.TypeName(shape), text));
    }

    // A captured value closed: when it was the captured item itself, its rows are handed on.
    private void Closed()
    {
        if (--_builderDepth == 0) EndCapture();
    }

    private ValueTreeBuilder BeginCapture()
    {
        // One builder for every item of the page: its pooled member and item lists are reused.
        _builder = _trees ??= new ValueTreeBuilder();
        _builder.Reset();
        _builderDepth = 1;
        return _builder;
    }

    private string? TakeMember()
    {
        var member = _pendingMember;
        _pendingMember = null;
        return member;
    }

    /// <summary>
    /// For a scalar outside any captured item: the base level of the row it is by itself, or -1 when it is no row
    /// (consumes the pending member name either way).
    /// </summary>
    private int ScalarRowLevel()
    {
        if (_frames.Count == 0) return -1;
        var (matched, isList) = _frames.Peek();
        if (isList)
        {
            // A scalar item of the captured list (e.g. an ARN of ListClusters) is a row by itself.
            return matched == _capture && matched == _segments.Length - 1 ? _capture + 1 : -1;
        }
        var member = TakeMember();
        // A scalar at the end of a path without lists (rare: a single value per call).
        return matched == _segments.Length - 1 && matched >= 0 && member == _segments[matched].Member && _capture >= 0 ? _segments.Length : -1;
    }

    private void EndCapture()
    {
        var root = _builder!.Root;
        if (_onMalformed is not null)
        {
            foreach (var malformed in _builder.MalformedValues)
            {
                _onMalformed(_capturePrefix.Length == 0 ? malformed
                    : malformed with { MemberPath = malformed.MemberPath.Length == 0 ? _capturePrefix : $"{_capturePrefix}.{malformed.MemberPath}" });
            }
        }
        _builder = null;
        var start = _capture < 0 ? 0 : _capture + 1;
        Walk(root, start, [], start);
    }

    // `node` is what remains after consuming `segment` segments; `ancestors` holds the nodes passed on the way.
    private void Walk(JsonNode? node, int segment, List<JsonNode?> ancestors, int baseLevel)
    {
        if (segment == _segments.Length)
        {
            Emit(node, ancestors, baseLevel);
            return;
        }
        if (node is not JsonObject obj) return;
        var next = obj[_segments[segment].Member];
        var withThis = new List<JsonNode?>(ancestors) { node };
        if (_segments[segment].IsList)
        {
            if (next is JsonArray items)
            {
                foreach (var item in items) Walk(item, segment + 1, withThis, baseLevel);
            }
        }
        else if (next is not null)
        {
            Walk(next, segment + 1, withThis, baseLevel);
        }
    }

    private void Emit(JsonNode? row, List<JsonNode?> ancestors, int baseLevel) => _onRow(new ExtractedRow(row, ancestors, baseLevel));
}
