using System.Text.Json;
using System.Text.Json.Nodes;
using CloudInventory.Aws.Models;
using CloudInventory.Aws.Protocols;
using CloudInventory.Catalog;

namespace CloudInventory.Collection.Internal;

/// <summary>
/// One value as a protocol reader's events, kept to be written later, possibly more than once (a field carried
/// from an enclosing object into each of its rows, which may be read before that field; a key a child table or an
/// enrichment call is given; an enrichment call's result). Typed: no JSON in between, except <see cref="Part.ToJsonNode"/>
/// for request inputs.
/// </summary>
internal sealed class RecordedValue : IShapeVisitor
{
    private enum Kind : byte
    {
        StartStructure, Member, EndStructure, StartList, EndList, StartMap, MapKey, EndMap,
        String, Integer, Double, Boolean, Timestamp, Blob, Document, Null, Malformed,
    }

    private readonly record struct Event(Kind Kind, object? Ref, long Bits);

    private readonly List<Event> _events = [];
    private readonly MemberPathTracker? _path;
    private List<MalformedValue>? _malformed;
    private int _depth;

    /// <summary>A recording; with <paramref name="trackMalformed"/> malformed scalars are listed with their member paths.</summary>
    public RecordedValue(bool trackMalformed = false) => _path = trackMalformed ? new MemberPathTracker() : null;

    /// <summary>A text value.</summary>
    public static RecordedValue Of(string text)
    {
        var value = new RecordedValue();
        value.String(text);
        return value;
    }

    /// <summary>The malformed scalars recorded (when tracked), with paths from the top of the value.</summary>
    public IReadOnlyList<MalformedValue> MalformedValues => (IReadOnlyList<MalformedValue>?)_malformed ?? [];

    /// <summary>The whole value, or null when none was recorded.</summary>
    public Part? Whole => Complete ? new Part(this, 0, _events.Count) : null;

    /// <summary>True once a whole value has been recorded.</summary>
    public bool Complete { get; private set; }

    /// <summary>Forgets the value, to record another.</summary>
    public void Clear()
    {
        _malformed?.Clear();
        _events.Clear();
        _depth = 0;
        Complete = false;
    }

    /// <summary>Gives the recorded events to <paramref name="target"/>, in order.</summary>
    public void Replay(IShapeVisitor target) => Replay(target, 0, _events.Count);

    private void Replay(IShapeVisitor target, int start, int end)
    {
        for (var i = start; i < end; i++)
        {
            var e = _events[i];
            switch (e.Kind)
            {
                case Kind.StartStructure: target.StartStructure((Shape)e.Ref!); break;
                case Kind.Member: target.Member((Member)e.Ref!); break;
                case Kind.EndStructure: target.EndStructure((Shape)e.Ref!); break;
                case Kind.StartList: target.StartList((Shape)e.Ref!); break;
                case Kind.EndList: target.EndList((Shape)e.Ref!); break;
                case Kind.StartMap: target.StartMap((Shape)e.Ref!); break;
                case Kind.MapKey: target.MapKey((string)e.Ref!); break;
                case Kind.EndMap: target.EndMap((Shape)e.Ref!); break;
                case Kind.String: target.String((string)e.Ref!); break;
                case Kind.Integer: target.Integer(e.Bits); break;
                case Kind.Double: target.Double(BitConverter.Int64BitsToDouble(e.Bits)); break;
                case Kind.Boolean: target.Boolean(e.Bits != 0); break;
                case Kind.Timestamp: target.Timestamp(new DateTimeOffset(e.Bits, TimeSpan.Zero)); break;
                case Kind.Blob: target.Blob((byte[])e.Ref!); break;
                case Kind.Document: target.Document((JsonElement)e.Ref!); break;
                case Kind.Null: target.Null(); break;
                case Kind.Malformed: target.Malformed((Shape)((object[])e.Ref!)[0], (string)((object[])e.Ref!)[1]); break;
            }
        }
    }

    /// <summary>A recording of one part of another.</summary>
    public static RecordedValue Copy(Part part)
    {
        var copy = new RecordedValue();
        copy._events.AddRange(part.Source._events.GetRange(part.Start, part.End - part.Start));
        copy.Complete = true;
        return copy;
    }

    /// <summary>The items of several recorded lists as one list (an enrichment's pages joined).</summary>
    public static RecordedValue JoinLists(IReadOnlyList<Part> lists)
    {
        var joined = new RecordedValue();
        var first = lists[0];
        joined._events.Add(first.Source._events[first.Start]);
        foreach (var list in lists) joined._events.AddRange(list.Source._events.GetRange(list.Start + 1, list.End - list.Start - 2));
        joined._events.Add(first.Source._events[first.End - 1]);
        joined.Complete = true;
        return joined;
    }

    // The end (exclusive) of the value starting at `start`.
    private int EndOf(int start)
    {
        var depth = 0;
        for (var i = start; i < _events.Count; i++)
        {
            switch (_events[i].Kind)
            {
                case Kind.StartStructure or Kind.StartList or Kind.StartMap: depth++; break;
                case Kind.EndStructure or Kind.EndList or Kind.EndMap: depth--; break;
                case Kind.Member or Kind.MapKey: continue;
            }
            if (depth == 0) return i + 1;
        }
        return _events.Count;
    }

    /// <summary>One value within a recording.</summary>
    public readonly record struct Part(RecordedValue Source, int Start, int End)
    {
        /// <summary>True when the value is a list.</summary>
        public bool IsList => Source._events[Start].Kind == Kind.StartList;

        /// <summary>Gives the value's events to <paramref name="target"/>.</summary>
        public void Replay(IShapeVisitor target) => Source.Replay(target, Start, End);

        /// <summary>A member of a structure value (the last given, when it is given twice), or null.</summary>
        public Part? Member(string name)
        {
            var events = Source._events;
            if (events[Start].Kind != Kind.StartStructure) return null;
            Part? found = null;
            for (var i = Start + 1; i < End - 1;)
            {
                if (events[i].Kind != Kind.Member) { i = Source.EndOf(i); continue; }
                var valueEnd = Source.EndOf(i + 1);
                if (((Member)events[i].Ref!).Name == name) found = new Part(Source, i + 1, valueEnd);
                i = valueEnd;
            }
            return found is { } f && Source._events[f.Start].Kind is Kind.Null or Kind.Malformed ? null : found;
        }

        /// <summary>The first item of a list value, or null.</summary>
        public Part? FirstItem()
        {
            if (!IsList || End - Start <= 2) return null;
            var item = new Part(Source, Start + 1, Source.EndOf(Start + 1));
            return Source._events[item.Start].Kind is Kind.Null or Kind.Malformed ? null : item;
        }

        /// <summary>Follows a result path: a list segment takes the first item (describe calls made for one id).</summary>
        public Part? Select(RowPath? path)
        {
            if (path is null) return this;
            Part? part = this;
            foreach (var segment in path.Segments)
            {
                part = part.Value.Member(segment.Member);
                if (part is not null && segment.IsList) part = part.Value.FirstItem();
                if (part is null) return null;
            }
            return part;
        }

        /// <summary>The value as JSON (for a request's input): timestamps as date/times, blobs as base64 text.</summary>
        public JsonNode? ToJsonNode()
        {
            var i = Start;
            return Source.Node(ref i);
        }
    }

    private JsonNode? Node(ref int i)
    {
        var e = _events[i++];
        switch (e.Kind)
        {
            case Kind.StartStructure or Kind.StartMap:
                var obj = new JsonObject();
                while (_events[i].Kind is not (Kind.EndStructure or Kind.EndMap))
                {
                    var key = _events[i].Kind == Kind.Member ? ((Member)_events[i].Ref!).Name : (string)_events[i].Ref!;
                    i++;
                    obj[key] = Node(ref i);
                }
                i++;
                return obj;
            case Kind.StartList:
                var array = new JsonArray();
                while (_events[i].Kind != Kind.EndList) array.Add(Node(ref i));
                i++;
                return array;
            case Kind.String: return JsonValue.Create((string)e.Ref!);
            case Kind.Integer: return JsonValue.Create(e.Bits);
            case Kind.Double: return JsonValue.Create(BitConverter.Int64BitsToDouble(e.Bits));
            case Kind.Boolean: return JsonValue.Create(e.Bits != 0);
            case Kind.Timestamp: return JsonValue.Create(new DateTimeOffset(e.Bits, TimeSpan.Zero));
            case Kind.Blob: return JsonValue.Create(Convert.ToBase64String((byte[])e.Ref!));
            case Kind.Document: return JsonNode.Parse(((JsonElement)e.Ref!).GetRawText());
            default: return null;
        }
    }

    public void StartStructure(Shape shape) => Open(Kind.StartStructure, shape, 0);

    public void Member(Member member)
    {
        _path?.Member(member.Name);
        _events.Add(new(Kind.Member, member, 0));
    }

    public void EndStructure(Shape shape) => Close(Kind.EndStructure, shape);

    public void StartList(Shape shape) => Open(Kind.StartList, shape, 1);

    public void EndList(Shape shape) => Close(Kind.EndList, shape);

    public void StartMap(Shape shape) => Open(Kind.StartMap, shape, 2);

    public void MapKey(string key)
    {
        _path?.Value();
        _events.Add(new(Kind.MapKey, key, 0));
    }

    public void EndMap(Shape shape) => Close(Kind.EndMap, shape);

    public void String(string value) => Scalar(new(Kind.String, value, 0));

    public void Integer(long value) => Scalar(new(Kind.Integer, null, value));

    public void Double(double value) => Scalar(new(Kind.Double, null, BitConverter.DoubleToInt64Bits(value)));

    public void Boolean(bool value) => Scalar(new(Kind.Boolean, null, value ? 1 : 0));

    public void Timestamp(DateTimeOffset value) => Scalar(new(Kind.Timestamp, null, value.UtcTicks));

    public void Blob(byte[] value) => Scalar(new(Kind.Blob, value, 0));

    public void Document(JsonElement value) => Scalar(new(Kind.Document, value.Clone(), 0));

    public void Null() => Scalar(new(Kind.Null, null, 0));

    public void Malformed(Shape shape, string text)
    {
        if (_path is not null) (_malformed ??= []).Add(new MalformedValue(_path.ToString(), MalformedValue.TypeName(shape), text));
        Scalar(new(Kind.Malformed, new object[] { shape, text }, 0));
    }

    private void Open(Kind kind, Shape shape, byte pathKind)
    {
        _path?.Open(pathKind);
        _events.Add(new(kind, shape, 0));
        _depth++;
    }

    private void Close(Kind kind, Shape shape)
    {
        _path?.Close();
        _events.Add(new(kind, shape, 0));
        if (--_depth == 0) Complete = true;
    }

    private void Scalar(Event e)
    {
        _path?.Value();
        _events.Add(e);
        if (_depth == 0) Complete = true;
    }
}
