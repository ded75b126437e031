using System.Text.Json.Nodes;

namespace CloudInventory.Simulator.World;

public sealed partial class SimulatedWorld
{
    /// <summary>
    /// Answers one read call with its whole (unpaged) output: the curated world where it models the
    /// resource, generic data that conforms to the output shape everywhere else. The oracle of what the world
    /// holds; <see cref="Answer"/> gives the same output with its large lists built only on demand.
    /// </summary>
    internal JsonObject Handle(WorldRequest r) => Answer(r).ToJson();

    /// <summary>
    /// Answers one read call as <see cref="Handle"/> does, but a listing the world models item by item (and every
    /// generic listing) comes as a <see cref="WorldListing"/>: its records are computed, its items' JSON is not.
    /// </summary>
    internal WorldOutput Answer(WorldRequest r)
    {
        var handled = r.Operation.Service.Name switch
        {
            "sts" => HandleSts(r),
            "organizations" => HandleOrganizations(r),
            "ec2" => HandleEc2(r),
            "s3" => HandleS3(r),
            "ecs" => HandleEcs(r),
            "iam" => HandleIam(r),
            "lambda" => HandleLambda(r),
            "rds" => HandleRds(r),
            _ => null,
        };
        return handled ?? Generic(r);
    }

    // A generic output; for a paginated operation whose result is a list, a listing of generic items with the standard tags.
    private WorldOutput Generic(WorldRequest r)
    {
        var output = r.NewOutput($"{Seed}/{r.AccountId}/{r.Region}/{r.Operation}");
        if (r.Operation.Paginator is not { } paginator) return output;
        var resultKey = ShapePaths.ResultList(r.Operation);
        Func<int, JsonNode?>? itemAt = null;
        var count = 0;
        if (resultKey is not null && ShapePaths.Resolve(r.Operation.Output!.Shape, resultKey) is { Shape.Type: Aws.Models.ShapeType.List } list)
        {
            var key = Key(r.AccountId, r.Region, r.Operation.ToString() + "/" + string.Join(",", r.Input.Select(kv => kv.Key + "=" + kv.Value?.ToJsonString())));
            var itemShape = list.Shape.ListMember!.Shape;
            var members = Population.Alive(key, Count(key, 3), 0.02, r.Date).ToArray();
            count = members.Length;
            itemAt = i =>
            {
                var m = members[i];
                var item = r.NewListItem(resultKey, $"{key}/{m.Index}");
                if (item is JsonObject o) ApplyStandardTags(o, itemShape, $"{key}/{m.Index}", m.Born, r.Date);
                return item;
            };
            // The generic list gives way to the listing's; the member keeps its place.
            ShapePaths.Set(output, resultKey, null);
        }
        foreach (var token in paginator.OutputTokens) RemovePath(output, token);
        return itemAt is null ? output : new WorldListing(output, resultKey!, count, itemAt);
    }

    /// <summary>Puts the standard tags into a generic item's tag member, whatever its form (Key/Value list or map).</summary>
    private void ApplyStandardTags(JsonObject item, Aws.Models.Shape shape, string key, DateOnly born, DateOnly date)
    {
        foreach (var member in shape.Members)
        {
            if (member.Name is not ("Tags" or "TagSet" or "TagList" or "tags" or "tagList")) continue;
            var tags = Tags(key, born, date);
            if (member.Shape.Type == Aws.Models.ShapeType.Map)
            {
                item[member.Name] = new JsonObject(tags.Select(t => new KeyValuePair<string, JsonNode?>(t.Key, t.Value)));
            }
            else if (member.Shape.ListMember?.Shape is { Type: Aws.Models.ShapeType.Structure } tagShape)
            {
                var k = tagShape.Members.FirstOrDefault(m => m.Name.Equals("Key", StringComparison.OrdinalIgnoreCase) || m.Name.Equals("TagKey", StringComparison.OrdinalIgnoreCase));
                var v = tagShape.Members.FirstOrDefault(m => m.Name.Equals("Value", StringComparison.OrdinalIgnoreCase) || m.Name.Equals("TagValue", StringComparison.OrdinalIgnoreCase));
                if (k is not null && v is not null) item[member.Name] = TagList(tags, k.Name, v.Name);
            }
        }
    }

    private static void RemovePath(JsonObject obj, string path)
    {
        if (path.Contains('[', StringComparison.Ordinal) || path.Contains(' ', StringComparison.Ordinal)) return;
        var dot = path.LastIndexOf('.');
        var parent = dot < 0 ? obj : ShapePaths.Get(obj, path[..dot]) as JsonObject;
        parent?.Remove(dot < 0 ? path : path[(dot + 1)..]);
    }
}
