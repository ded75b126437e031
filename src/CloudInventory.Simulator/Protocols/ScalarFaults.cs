using System.Text;
using CloudInventory.Aws.Models;
using CloudInventory.Simulator.World;

namespace CloudInventory.Simulator.Protocols;

/// <summary>
/// Decides, while one response is written, which boolean, number and timestamp values are written as malformed text
/// (the simulator's <c>--malformed-rate</c>), and remembers where: a value is damaged when a hash of the response's key
/// and the value's position in the body falls under the rate, so the same request always gets the same faults.
/// Paths are written as the client's readers name them: members by model name joined by dots, <c>[]</c> after a
/// list, <c>{}</c> after a map.
/// </summary>
internal sealed class ScalarFaults(double rate, string responseKey, IReadOnlySet<string> protectedMembers)
{
    private readonly List<string> _path = [];
    private int _position;

    /// <summary>The member paths of the values damaged so far, in writing order.</summary>
    public List<string> Damaged { get; } = [];

    /// <summary>Enters a member (by model name), a list's items (<c>[]</c>) or a map's values (<c>{}</c>).</summary>
    public void Push(string step) => _path.Add(step);

    public void Pop() => _path.RemoveAt(_path.Count - 1);

    /// <summary>The malformed text to write instead of the value of <paramref name="shape"/>, or null to write the value.</summary>
    public string? Damage(Shape shape)
    {
        var text = shape.Type switch
        {
            ShapeType.Boolean => "None",
            ShapeType.Integer or ShapeType.Long or ShapeType.Float or ShapeType.Double => "N/A",
            ShapeType.Timestamp => "not-a-date",
            _ => null,
        };
        if (text is null || shape.Document) return null;
        // Pagination tokens and more-results flags steer the listing: damaging them would lose pages, not values.
        if (_path.Count == 1 && protectedMembers.Contains(_path[0])) return null;
        var position = _position++;
        if (StableHash.Unit(responseKey + "/" + position.ToString(System.Globalization.CultureInfo.InvariantCulture)) >= rate) return null;
        Damaged.Add(PathText());
        return text;
    }

    /// <summary>The top-level members a paginator reads (output tokens, more-results flag), which are never damaged.</summary>
    public static IReadOnlySet<string> ProtectedMembers(Operation operation)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        if (operation.Paginator is { } p)
        {
            foreach (var token in p.OutputTokens) names.Add(token.Split("||")[0].Trim().Split('.')[0]);
            if (p.MoreResults is { } more) names.Add(more.Split('.')[0]);
        }
        return names;
    }

    private string PathText()
    {
        var sb = new StringBuilder();
        foreach (var step in _path)
        {
            if (step is not ("[]" or "{}") && sb.Length > 0) sb.Append('.');
            sb.Append(step);
        }
        return sb.ToString();
    }
}
