using System.Text.Json.Nodes;

namespace CloudInventory.Collection.Internal;

/// <summary>One row cut from a response, with the objects that enclose it on the row path.</summary>
/// <param name="Value">The row's value: usually an object of API members, or a scalar (an ARN).</param>
/// <param name="Ancestors">The nodes after consuming <paramref name="BaseLevel"/>, <paramref name="BaseLevel"/>+1, … path segments.</param>
/// <param name="BaseLevel">The path depth of the first ancestor.</param>
internal sealed record ExtractedRow(JsonNode? Value, IReadOnlyList<JsonNode?> Ancestors, int BaseLevel)
{
    /// <summary>The enclosing node after consuming <paramref name="level"/> path segments, or null when it is not held.</summary>
    public JsonNode? AncestorAt(int level)
    {
        var i = level - BaseLevel;
        return i >= 0 && i < Ancestors.Count ? Ancestors[i] : null;
    }
}
