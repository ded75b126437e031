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
