using System.Text.Json;
using CloudInventory.Aws.Models;
using CloudInventory.Aws.Protocols;

namespace CloudInventory.Collection.Internal;

/// <summary>
/// One value as a protocol reader's events, kept to be written later, possibly more than once (a field carried
/// from an enclosing object into each of its rows, which may be read before that field). Typed: no JSON in between.
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
    private int _depth;

    /// <summary>True once a whole value has been recorded.</summary>
    public bool Complete { get; private set; }

    /// <summary>Forgets the value, to record another.</summary>
    public void Clear()
    {
        _events.Clear();
        _depth = 0;
        Complete = false;
    }

    /// <summary>Gives the recorded events to <paramref name="target"/>, in order.</summary>
    public void Replay(IShapeVisitor target)
    {
        foreach (var e in _events)
        {
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

    public void StartStructure(Shape shape) => Open(Kind.StartStructure, shape);

    public void Member(Member member) => _events.Add(new(Kind.Member, member, 0));

    public void EndStructure(Shape shape) => Close(Kind.EndStructure, shape);

    public void StartList(Shape shape) => Open(Kind.StartList, shape);

    public void EndList(Shape shape) => Close(Kind.EndList, shape);

    public void StartMap(Shape shape) => Open(Kind.StartMap, shape);

    public void MapKey(string key) => _events.Add(new(Kind.MapKey, key, 0));

    public void EndMap(Shape shape) => Close(Kind.EndMap, shape);

    public void String(string value) => Scalar(new(Kind.String, value, 0));

    public void Integer(long value) => Scalar(new(Kind.Integer, null, value));

    public void Double(double value) => Scalar(new(Kind.Double, null, BitConverter.DoubleToInt64Bits(value)));

    public void Boolean(bool value) => Scalar(new(Kind.Boolean, null, value ? 1 : 0));

    public void Timestamp(DateTimeOffset value) => Scalar(new(Kind.Timestamp, null, value.UtcTicks));

    public void Blob(byte[] value) => Scalar(new(Kind.Blob, value, 0));

    public void Document(JsonElement value) => Scalar(new(Kind.Document, value.Clone(), 0));

    public void Null() => Scalar(new(Kind.Null, null, 0));

    public void Malformed(Shape shape, string text) => Scalar(new(Kind.Malformed, new object[] { shape, text }, 0));

    private void Open(Kind kind, Shape shape)
    {
        _events.Add(new(kind, shape, 0));
        _depth++;
    }

    private void Close(Kind kind, Shape shape)
    {
        _events.Add(new(kind, shape, 0));
        if (--_depth == 0) Complete = true;
    }

    private void Scalar(Event e)
    {
        _events.Add(e);
        if (_depth == 0) Complete = true;
    }
}
