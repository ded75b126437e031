using System.Text.Json.Nodes;
using CloudInventory.Aws.Models;

namespace CloudInventory.Simulator.World;

/// <summary>Navigates dotted paths (<c>DistributionList.Items</c>) through shapes and value trees.</summary>
internal static class ShapePaths
{
    /// <summary>The member at a dotted path of a structure, or null.</summary>
    public static Member? Resolve(Shape shape, string path)
    {
        Member? member = null;
        var current = shape;
        foreach (var part in path.Split('.'))
        {
            member = current.FindMember(part);
            if (member is null) return null;
            current = member.Shape;
        }
        return member;
    }

    /// <summary>
    /// The output path of an operation's paged list: the paginator's first result key, or, for the
    /// paginators that name none, the output's only top-level list.
    /// </summary>
    public static string? ResultList(Operation operation)
    {
        if (operation.Paginator is { ResultKeys.Count: > 0 } p) return p.ResultKeys[0];
        var lists = operation.Output?.Shape.Members.Where(m => m.Shape.Type == ShapeType.List && m.Location == MemberLocation.Body).ToList();
        return lists is { Count: 1 } ? lists[0].Name : null;
    }

    public static JsonNode? Get(JsonObject obj, string path)
    {
        JsonNode? node = obj;
        foreach (var part in path.Split('.'))
        {
            if (node is not JsonObject o || !o.TryGetPropertyValue(part, out node)) return null;
        }
        return node;
    }

    public static void Set(JsonObject obj, string path, JsonNode? value)
    {
        var parts = path.Split('.');
        var current = obj;
        for (var i = 0; i < parts.Length - 1; i++)
        {
            if (current[parts[i]] is not JsonObject next)
            {
                next = [];
                current[parts[i]] = next;
            }
            current = next;
        }
        current[parts[^1]] = value;
    }
}
