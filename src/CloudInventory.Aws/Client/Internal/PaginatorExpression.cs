using System.Globalization;
using System.Text.Json.Nodes;

namespace CloudInventory.Aws.Client.Internal;

/// <summary>
/// The small JMESPath subset paginators use: dotted member paths with list indexes, and alternatives
/// (<c>NextMarker || Contents[-1].Key</c>). A step is a member or map-key name, or a list index
/// (negative indexes count from the end; only <c>-1</c> is used by AWS's models).
/// </summary>
internal sealed class PaginatorExpression
{
    private PaginatorExpression(string text, IReadOnlyList<IReadOnlyList<Step>> alternatives)
    {
        Text = text;
        Alternatives = alternatives;
    }

    public string Text { get; }

    public IReadOnlyList<IReadOnlyList<Step>> Alternatives { get; }

    public static PaginatorExpression Parse(string text)
    {
        var alternatives = new List<IReadOnlyList<Step>>();
        foreach (var alternative in text.Split("||", StringSplitOptions.TrimEntries))
        {
            var steps = new List<Step>();
            foreach (var part in alternative.Split('.'))
            {
                var rest = part;
                var bracket = rest.IndexOf('[', StringComparison.Ordinal);
                var name = bracket < 0 ? rest : rest[..bracket];
                if (name.Length > 0) steps.Add(Step.Member(name));
                while (bracket >= 0)
                {
                    var close = rest.IndexOf(']', bracket);
                    if (close < 0) throw new FormatException($"paginator expression '{text}': missing ]");
                    var index = int.Parse(rest[(bracket + 1)..close], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
                    if (index < -1) throw new FormatException($"paginator expression '{text}': only index -1 counts from the end");
                    steps.Add(Step.Item(index));
                    rest = rest[(close + 1)..];
                    bracket = rest.IndexOf('[', StringComparison.Ordinal);
                }
            }
            if (steps.Count == 0) throw new FormatException($"paginator expression '{text}' is empty");
            alternatives.Add(steps);
        }
        return new PaginatorExpression(text, alternatives);
    }

    /// <summary>Evaluates the expression over an already-built output (used on merged CLI output).</summary>
    public JsonNode? Evaluate(JsonNode? root)
    {
        foreach (var steps in Alternatives)
        {
            var node = root;
            foreach (var step in steps)
            {
                node = step.Name is { } name
                    ? (node as JsonObject)?[name]
                    : node is JsonArray array && array.Count > 0 ? array[step.Index < 0 ? array.Count + step.Index : step.Index] : null;
                if (node is null) break;
            }
            if (node is not null) return node;
        }
        return null;
    }

    public override string ToString() => Text;

    /// <summary>One step: a name (member or map key) or a list index.</summary>
    internal readonly record struct Step(string? Name, int Index)
    {
        public static Step Member(string name) => new(name, 0);

        public static Step Item(int index) => new(null, index);

        public bool Matches(Step actual) => Name is not null
            ? actual.Name == Name
            : actual.Name is null && (Index == -1 || Index == actual.Index);
    }
}
