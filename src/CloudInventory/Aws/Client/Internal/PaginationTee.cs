using System.Text.Json;
using System.Text.Json.Nodes;
using CloudInventory.Aws.Models;
using CloudInventory.Aws.Protocols;
using Step = CloudInventory.Aws.Client.Internal.PaginatorExpression.Step;

namespace CloudInventory.Aws.Client.Internal;

/// <summary>
/// Passes every output event on to the caller's visitor and, on the way, captures the values that
/// the paginator's expressions select (output tokens, <c>more_results</c>), so paging needs no second
/// parse of the page.
/// </summary>
internal sealed class PaginationTee : IShapeVisitor
{
    private readonly IShapeVisitor _inner;
    private readonly Target[] _targets;
    private readonly List<Frame> _frames = [];
    private readonly List<(Target Target, JsonValueBuilder Builder)> _active = [];
    private readonly List<Step> _path = [];

    public PaginationTee(IShapeVisitor inner, IReadOnlyList<PaginatorExpression> expressions)
    {
        _inner = inner;
        Expressions = expressions;
        _targets = expressions.SelectMany((e, slot) => e.Alternatives.Select((steps, alternative) => new Target(slot, alternative, steps))).ToArray();
    }

    public IReadOnlyList<PaginatorExpression> Expressions { get; }

    /// <summary>The value of expression <paramref name="slot"/>: its first alternative that was present, or null.</summary>
    public JsonNode? Value(int slot) =>
        _targets.Where(t => t.Slot == slot).OrderBy(t => t.Alternative).Select(t => t.Value).FirstOrDefault(v => v is not null);

    public void StartStructure(Shape shape)
    {
        BeginValue();
        Forward(v => v.StartStructure(shape));
        _frames.Add(new Frame(isList: false));
    }

    public void Member(Member member)
    {
        _frames[^1].Current = Step.Member(member.Name);
        Forward(v => v.Member(member));
    }

    public void EndStructure(Shape shape)
    {
        _frames.RemoveAt(_frames.Count - 1);
        Forward(v => v.EndStructure(shape));
    }

    public void StartList(Shape shape)
    {
        BeginValue();
        Forward(v => v.StartList(shape));
        _frames.Add(new Frame(isList: true));
    }

    public void EndList(Shape shape)
    {
        _frames.RemoveAt(_frames.Count - 1);
        Forward(v => v.EndList(shape));
    }

    public void StartMap(Shape shape)
    {
        BeginValue();
        Forward(v => v.StartMap(shape));
        _frames.Add(new Frame(isList: false));
    }

    public void MapKey(string key)
    {
        _frames[^1].Current = Step.Member(key);
        Forward(v => v.MapKey(key));
    }

    public void EndMap(Shape shape)
    {
        _frames.RemoveAt(_frames.Count - 1);
        Forward(v => v.EndMap(shape));
    }

    public void String(string value) => Scalar(v => v.String(value));

    public void Integer(long value) => Scalar(v => v.Integer(value));

    public void Double(double value) => Scalar(v => v.Double(value));

    public void Boolean(bool value) => Scalar(v => v.Boolean(value));

    public void Timestamp(DateTimeOffset value) => Scalar(v => v.Timestamp(value));

    public void Blob(byte[] value) => Scalar(v => v.Blob(value));

    public void Document(JsonElement value) => Scalar(v => v.Document(value));

    public void Null() => Scalar(v => v.Null());

    private void Scalar(Action<IShapeVisitor> emit)
    {
        BeginValue();
        Forward(emit);
    }

    /// <summary>A value starts at the current path: reset "last item" captures, and start captures that match.</summary>
    private void BeginValue()
    {
        _path.Clear();
        if (_frames.Count > 0 && _frames[^1].IsList) _frames[^1].Current = Step.Item(_frames[^1].NextIndex++);
        foreach (var frame in _frames)
        {
            if (frame.Current is { } step) _path.Add(step);
        }
        foreach (var target in _targets)
        {
            if (_path.Count > target.Steps.Count || !Prefix(target.Steps, _path)) continue;
            if (_path.Count == target.Steps.Count)
            {
                var builder = new JsonValueBuilder();
                _active.Add((target, builder));
            }
            else if (_path.Count > 0 && target.Steps[_path.Count - 1] is { Name: null, Index: -1 })
            {
                // A new last item begins: what an earlier item gave no longer counts.
                target.Value = null;
            }
        }
    }

    private static bool Prefix(IReadOnlyList<Step> expected, List<Step> actual)
    {
        for (var i = 0; i < actual.Count; i++)
        {
            if (!expected[i].Matches(actual[i])) return false;
        }
        return true;
    }

    private void Forward(Action<IShapeVisitor> emit)
    {
        emit(_inner);
        for (var i = _active.Count - 1; i >= 0; i--)
        {
            var (target, builder) = _active[i];
            emit(builder);
            if (builder.IsComplete)
            {
                target.Value = builder.Result;
                _active.RemoveAt(i);
            }
        }
    }

    private sealed class Frame(bool isList)
    {
        public bool IsList { get; } = isList;

        public int NextIndex { get; set; }

        public Step? Current { get; set; }
    }

    private sealed class Target(int slot, int alternative, IReadOnlyList<Step> steps)
    {
        public int Slot { get; } = slot;

        public int Alternative { get; } = alternative;

        public IReadOnlyList<Step> Steps { get; } = steps;

        public JsonNode? Value { get; set; }
    }
}
