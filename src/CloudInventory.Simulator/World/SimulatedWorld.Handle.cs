using System.Text.Json.Nodes;

namespace CloudInventory.Simulator.World;

public sealed partial class SimulatedWorld
{
    /// <summary>
    /// Answers one read call with its whole (unpaged) output: the curated world where it models the
    /// resource, generic data that conforms to the output shape everywhere else.
    /// </summary>
    internal JsonObject Handle(WorldRequest r)
    {
        var handled = r.Operation.Service.Name switch
        {
            "sts" => HandleSts(r),
            "organizations" => HandleOrganizations(r),
            "ec2" => HandleEc2(r),
            _ => null,
        };
        return handled ?? Generic(r);
    }

    private JsonObject Generic(WorldRequest r)
    {
        var output = r.NewOutput($"{Seed}/{r.AccountId}/{r.Region}/{r.Operation}");
        if (r.Operation.Paginator is { ResultKeys.Count: > 0 } paginator)
        {
            var resultKey = paginator.ResultKeys[0];
            if (ShapePaths.Resolve(r.Operation.Output!.Shape, resultKey) is { Shape.Type: Aws.Models.ShapeType.List })
            {
                var key = Key(r.AccountId, r.Region, r.Operation.ToString() + "/" + string.Join(",", r.Input.Select(kv => kv.Key + "=" + kv.Value?.ToJsonString())));
                var items = Population.Alive(key, Count(key, 3), 0.02, r.Date)
                    .Select(m => r.NewListItem(resultKey, $"{key}/{m.Index}"))
                    .ToArray();
                ShapePaths.Set(output, resultKey, new JsonArray(items));
            }
            foreach (var token in paginator.OutputTokens) RemovePath(output, token);
        }
        return output;
    }

    private static void RemovePath(JsonObject obj, string path)
    {
        if (path.Contains('[', StringComparison.Ordinal) || path.Contains(' ', StringComparison.Ordinal)) return;
        var dot = path.LastIndexOf('.');
        var parent = dot < 0 ? obj : ShapePaths.Get(obj, path[..dot]) as JsonObject;
        parent?.Remove(dot < 0 ? path : path[(dot + 1)..]);
    }
}
