using System.Runtime.InteropServices;
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
    private readonly int _maxSteps;

    public PaginationTee(IShapeVisitor inner, IReadOnlyList<PaginatorExpression> expressions)
    {
        _inner = inner;
        Expressions = expressions;
        _targets = expressions.SelectMany((e, slot) => e.Alternatives.Select((steps, alternative) => new Target(slot, alternative, steps))).ToArray();
        _maxSteps = _targets.Length == 0 ? 0 : _targets.Max(t => t.Steps.Count);
    }

    public IReadOnlyList<PaginatorExpression> Expressions { get; }

    /// <summary>The value of expression <paramref name="slot"/>: its first alternative that was present, or null.</summary>
    public JsonNode? Value(int slot) =>
        _targets.Where(t => t.Slot == slot).OrderBy(t => t.Alternative).Select(t => t.Value).FirstOrDefault(v => v is not null);

    public void StartStructure(Shape shape)
    {
        BeginValue();
        _inner.StartStructure(shape);
        foreach (var (_, b) in _active) b.StartStructure(shape);
        _frames.Add(new Frame(isList: false));
    }

    public void Member(Member member)
    {
        Top.Current = Step.Member(member.Name);
        _inner.Member(member);
        foreach (var (_, b) in _active) b.Member(member);
    }

    public void EndStructure(Shape shape)
    {
        _frames.RemoveAt(_frames.Count - 1);
        _inner.EndStructure(shape);
        if (_active.Count == 0) return;
        foreach (var (_, b) in _active) b.EndStructure(shape);
        Complete();
    }

    public void StartList(Shape shape)
    {
        BeginValue();
        _inner.StartList(shape);
        foreach (var (_, b) in _active) b.StartList(shape);
        _frames.Add(new Frame(isList: true));
    }

    public void EndList(Shape shape)
    {
        _frames.RemoveAt(_frames.Count - 1);
        _inner.EndList(shape);
        if (_active.Count == 0) return;
        foreach (var (_, b) in _active) b.EndList(shape);
        Complete();
    }

    public void StartMap(Shape shape)
    {
        BeginValue();
        _inner.StartMap(shape);
        foreach (var (_, b) in _active) b.StartMap(shape);
        _frames.Add(new Frame(isList: false));
    }

    public void MapKey(string key)
    {
        Top.Current = Step.Member(key);
        _inner.MapKey(key);
        foreach (var (_, b) in _active) b.MapKey(key);
    }

    public void EndMap(Shape shape)
    {
        _frames.RemoveAt(_frames.Count - 1);
        _inner.EndMap(shape);
        if (_active.Count == 0) return;
        foreach (var (_, b) in _active) b.EndMap(shape);
        Complete();
    }

    public void String(string value)
    {
        BeginValue();
        _inner.String(value);
        if (_active.Count == 0) return;
        foreach (var (_, b) in _active) b.String(value);
        Complete();
    }

    public void Integer(long value)
    {
        BeginValue();
        _inner.Integer(value);
        if (_active.Count == 0) return;
        foreach (var (_, b) in _active) b.Integer(value);
        Complete();
    }

    public void Double(double value)
    {
        BeginValue();
        _inner.Double(value);
        if (_active.Count == 0) return;
        foreach (var (_, b) in _active) b.Double(value);
        Complete();
    }

    public void Boolean(bool value)
    {
        BeginValue();
        _inner.Boolean(value);
        if (_active.Count == 0) return;
        foreach (var (_, b) in _active) b.Boolean(value);
        Complete();
    }

    public void Timestamp(DateTimeOffset value)
    {
        BeginValue();
        _inner.Timestamp(value);
        if (_active.Count == 0) return;
        foreach (var (_, b) in _active) b.Timestamp(value);
        Complete();
    }

    public void Blob(byte[] value)
    {
        BeginValue();
        _inner.Blob(value);
        if (_active.Count == 0) return;
        foreach (var (_, b) in _active) b.Blob(value);
        Complete();
    }

    public void Document(JsonElement value)
    {
        BeginValue();
        _inner.Document(value);
        if (_active.Count == 0) return;
        foreach (var (_, b) in _active) b.Document(value);
        Complete();
    }

    public void Null()
    {
        BeginValue();
        _inner.Null();
        if (_active.Count == 0) return;
        foreach (var (_, b) in _active) b.Null();
        Complete();
    }

    public void Malformed(Shape shape, string text)
    {
        BeginValue();
        _inner.Malformed(shape, text);
        if (_active.Count == 0) return;
        foreach (var (_, b) in _active) b.Malformed(shape, text);
        Complete();
    }

    // Frames are structs (one per open structure, list or map of every page): changed in place.
    private ref Frame Top => ref CollectionsMarshal.AsSpan(_frames)[^1];

    /// <summary>A value starts at the current path: reset "last item" captures, and start captures that match.</summary>
    private void BeginValue()
    {
        if (_frames.Count > 0 && Top.IsList) Top.Current = Step.Item(Top.NextIndex++);
        // The root structure adds no step: deeper values than the longest expression cannot match.
        if (_frames.Count - 1 > _maxSteps) return;
        _path.Clear();
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

    /// <summary>Stores and drops the captures whose value just ended.</summary>
    private void Complete()
    {
        for (var i = _active.Count - 1; i >= 0; i--)
        {
            var (target, builder) = _active[i];
            if (!builder.IsComplete) continue;
            target.Value = builder.Result;
            _active.RemoveAt(i);
        }
    }

    private struct Frame(bool isList)
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
