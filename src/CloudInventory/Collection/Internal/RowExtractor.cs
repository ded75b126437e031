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
    private readonly Stack<(int Matched, bool IsList)> _frames = new();
    private string? _pendingMember;
    private ValueTreeBuilder? _builder;
    private int _builderDepth;

    public RowExtractor(RowPath rowPath, IEnumerable<RowPath> carriedPrefixes, Action<ExtractedRow> onRow)
    {
        _segments = rowPath.Segments.ToArray();
        _onRow = onRow;
        var firstList = Array.FindIndex(_segments, s => s.IsList);
        // Fields carried from outside the first list's items need the whole output.
        var outside = carriedPrefixes.Any(p => p.Segments.Count <= firstList);
        _capture = firstList < 0 || outside ? -1 : firstList;
    }

    public void StartStructure(Shape shape)
    {
        if (Forwarding(b => b.StartStructure(shape), opens: true)) return;
        if (_frames.Count == 0)
        {
            if (_capture < 0) { Capture(b => b.StartStructure(shape)); return; }
            _frames.Push((0, false));
            return;
        }
        var (matched, isList) = _frames.Peek();
        if (matched == OffPath) { _frames.Push((OffPath, false)); return; }
        if (isList)
        {
            if (matched == _capture) { Capture(b => b.StartStructure(shape)); return; }
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
        if (Closing(b => b.EndStructure(shape))) return;
        _frames.Pop();
    }

    public void StartList(Shape shape)
    {
        if (Forwarding(b => b.StartList(shape), opens: true)) return;
        if (_frames.Count == 0) { _frames.Push((OffPath, true)); return; }
        var (matched, isList) = _frames.Peek();
        if (matched == OffPath || isList) { TakeMember(); _frames.Push((OffPath, true)); return; }
        var member = TakeMember();
        var onPath = matched < _segments.Length && member == _segments[matched].Member && _segments[matched].IsList;
        _frames.Push((onPath ? matched : OffPath, true));
    }

    public void EndList(Shape shape)
    {
        if (Closing(b => b.EndList(shape))) return;
        _frames.Pop();
    }

    public void StartMap(Shape shape)
    {
        if (Forwarding(b => b.StartMap(shape), opens: true)) return;
        TakeMember();
        _frames.Push((OffPath, false));
    }

    public void MapKey(string key) => _builder?.MapKey(key);

    public void EndMap(Shape shape)
    {
        if (Closing(b => b.EndMap(shape))) return;
        _frames.Pop();
    }

    public void String(string value) => Scalar(b => b.String(value), () => JsonValue.Create(value));

    public void Integer(long value) => Scalar(b => b.Integer(value), () => JsonValue.Create(value));

    public void Double(double value) => Scalar(b => b.Double(value), () => JsonValue.Create(value));

    public void Boolean(bool value) => Scalar(b => b.Boolean(value), () => JsonValue.Create(value));

    public void Timestamp(DateTimeOffset value) => Scalar(b => b.Timestamp(value), () => JsonValue.Create(value.ToUniversalTime()));

    public void Blob(byte[] value) => Scalar(b => b.Blob(value), () => JsonValue.Create(value));

    public void Document(JsonElement value) => Scalar(b => b.Document(value), () => JsonNode.Parse(value.GetRawText()));

    public void Null() => _builder?.Null();

    private bool Forwarding(Action<ValueTreeBuilder> forward, bool opens)
    {
        if (_builder is null) return false;
        if (opens) _builderDepth++;
        forward(_builder);
        return true;
    }

    private bool Closing(Action<ValueTreeBuilder> forward)
    {
        if (_builder is null) return false;
        forward(_builder);
        if (--_builderDepth == 0) EndCapture();
        return true;
    }

    private void Capture(Action<ValueTreeBuilder> first)
    {
        _builder = new ValueTreeBuilder();
        _builderDepth = 1;
        first(_builder);
    }

    private string? TakeMember()
    {
        var member = _pendingMember;
        _pendingMember = null;
        return member;
    }

    private void Scalar(Action<ValueTreeBuilder> forward, Func<JsonNode?> node)
    {
        if (_builder is not null) { forward(_builder); return; }
        if (_frames.Count == 0) return;
        var (matched, isList) = _frames.Peek();
        if (isList)
        {
            // A scalar item of the captured list (e.g. an ARN of ListClusters) is a row by itself.
            if (matched == _capture && matched == _segments.Length - 1) Emit(node(), [], _capture + 1);
            return;
        }
        var member = TakeMember();
        // A scalar at the end of a path without lists (rare: a single value per call).
        if (matched == _segments.Length - 1 && matched >= 0 && member == _segments[matched].Member && _capture >= 0) Emit(node(), [], _segments.Length);
    }

    private void EndCapture()
    {
        var root = _builder!.Root;
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
