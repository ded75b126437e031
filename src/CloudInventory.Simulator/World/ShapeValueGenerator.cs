using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using CloudInventory.Aws.Models;

namespace CloudInventory.Simulator.World;

/// <summary>
/// Generates values that conform to a shape, deterministically from a seed string: plausible ids,
/// ARNs, names, enum values and timestamps, nesting cut at a depth and at recursion. It gives
/// every operation in every service generic data; the world overlays realistic fields on top.
/// </summary>
internal sealed class ShapeValueGenerator(int maxDepth = 5)
{
    /// <summary>Who the value belongs to, for ARNs and ids.</summary>
    public sealed record Context(string Service, string AccountId, string Region, DateOnly Date);

    public JsonObject GenerateStructure(Shape shape, Context context, string seed) =>
        (JsonObject)Generate(shape, "", context, seed, 0, [])!;

    /// <summary>A value of <paramref name="shape"/>; <paramref name="name"/> (e.g. <c>TableName</c>) guides strings.</summary>
    public JsonNode? Generate(Shape shape, string name, Context context, string seed) =>
        Generate(shape, name, context, seed, 0, []);

    private JsonNode? Generate(Shape shape, string name, Context ctx, string seed, int depth, HashSet<Shape> stack)
    {
        switch (shape.Type)
        {
            case ShapeType.Structure:
                if (shape.Document) return new JsonObject { ["generated"] = true };
                if (!stack.Add(shape)) return null;
                try
                {
                    var obj = new JsonObject();
                    var members = shape.Members.Where(m => m.Location is MemberLocation.Body or MemberLocation.Header).ToList();
                    if (shape.Union && members.Count > 0)
                    {
                        var pick = members[StableHash.Range(seed + "/union", 0, members.Count)];
                        members = [pick];
                    }
                    foreach (var m in members)
                    {
                        if (depth >= maxDepth && m.Shape.Type is ShapeType.Structure or ShapeType.List or ShapeType.Map) continue;
                        if (m.Location == MemberLocation.Header && m.Shape.Type is not (ShapeType.String or ShapeType.Integer or ShapeType.Long or ShapeType.Boolean)) continue;
                        var v = Generate(m.Shape, m.Name, ctx, seed + "/" + m.Name, depth + 1, stack);
                        if (v is not null) obj[m.Name] = v;
                    }
                    return obj;
                }
                finally
                {
                    stack.Remove(shape);
                }
            case ShapeType.List:
                var count = depth < 3 ? StableHash.Range(seed + "/n", 1, 3) : StableHash.Range(seed + "/n", 0, 2);
                var array = new JsonArray();
                for (var i = 0; i < count; i++)
                {
                    var item = Generate(shape.ListMember!.Shape, Singular(name), ctx, seed + "/" + i.ToString(CultureInfo.InvariantCulture), depth + 1, stack);
                    if (item is not null) array.Add(item);
                }
                return array;
            case ShapeType.Map:
                var map = new JsonObject();
                var entries = StableHash.Range(seed + "/n", 1, 3);
                for (var i = 0; i < entries; i++)
                {
                    var key = shape.MapKey!.Shape.EnumValues is { Count: > 0 } keys
                        ? keys[StableHash.Range(seed + "/k" + i, 0, keys.Count)]
                        : "key" + (i + 1).ToString(CultureInfo.InvariantCulture);
                    var v = Generate(shape.MapValue!.Shape, "Value", ctx, seed + "/v" + i.ToString(CultureInfo.InvariantCulture), depth + 1, stack);
                    if (v is not null) map[key] = v;
                }
                return map;
            case ShapeType.String:
                return JsonValue.Create(GenerateString(shape, name, ctx, seed));
            case ShapeType.Integer:
                return JsonValue.Create(StableHash.Range(seed, (int)Math.Max(shape.Min ?? 1, 0), (int)Math.Min(shape.Max ?? 100, 100) + 1));
            case ShapeType.Long:
                return JsonValue.Create((long)StableHash.Range(seed, 1, 100_000));
            case ShapeType.Float:
            case ShapeType.Double:
                return JsonValue.Create(Math.Round(StableHash.Unit(seed) * 100, 2));
            case ShapeType.Boolean:
                return JsonValue.Create(StableHash.Of(seed) % 2 == 0);
            case ShapeType.Timestamp:
                var day = ctx.Date.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc).AddDays(-StableHash.Range(seed, 1, 400)).AddSeconds(StableHash.Range(seed + "/s", 0, 86_400));
                return JsonValue.Create(new DateTimeOffset(day));
            case ShapeType.Blob:
                return JsonValue.Create(Encoding.UTF8.GetBytes("blob-" + StableHash.Hex(seed, 8)));
            default:
                return null;
        }
    }

    private static string GenerateString(Shape shape, string name, Context ctx, string seed)
    {
        if (shape.EnumValues is { Count: > 0 } values) return values[StableHash.Range(seed, 0, values.Count)];
        var lower = name.ToLowerInvariant();
        if (lower.EndsWith("arn", StringComparison.Ordinal))
            return $"arn:aws:{ctx.Service}:{ctx.Region}:{ctx.AccountId}:{Kebab(name[..^3]).TrimEnd('-') switch { "" => "resource", var s => s }}/{StableHash.Hex(seed, 12)}";
        if (lower is "accountid" or "ownerid" or "owner" or "account") return ctx.AccountId;
        if (lower is "region" or "regionname" or "awsregion") return ctx.Region;
        if (lower is "availabilityzone") return ctx.Region + "a";
        if (lower.EndsWith("id", StringComparison.Ordinal) || lower.EndsWith("ids", StringComparison.Ordinal))
            return $"{Abbreviation(name)}-{StableHash.Hex(seed, 17)}";
        if (lower.EndsWith("name", StringComparison.Ordinal) || lower.EndsWith("names", StringComparison.Ordinal))
            return $"{Kebab(name.EndsWith('s') ? name[..^1] : name).Replace("-name", "", StringComparison.Ordinal)}-{StableHash.Range(seed, 1, 1000)}";
        if (lower.EndsWith("date", StringComparison.Ordinal) || lower.EndsWith("time", StringComparison.Ordinal))
            return ctx.Date.AddDays(-StableHash.Range(seed, 1, 400)).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) + "T00:00:00Z";
        if (lower.Contains("url", StringComparison.Ordinal) || lower.Contains("endpoint", StringComparison.Ordinal))
            return $"https://{Kebab(name)}-{StableHash.Hex(seed, 6)}.{ctx.Region}.example.internal";
        if (lower.Contains("policy", StringComparison.Ordinal) || lower.Contains("document", StringComparison.Ordinal))
            return "{\"Version\":\"2012-10-17\",\"Statement\":[]}";
        if (lower is "key") return "Environment";
        if (lower is "value") return "sim-" + StableHash.Hex(seed, 4);
        return $"{Kebab(name) switch { "" => "value", var s => s }}-{StableHash.Hex(seed, 6)}";
    }

    private static string Abbreviation(string name)
    {
        var stem = name.EndsWith("Ids", StringComparison.Ordinal) ? name[..^3] : name.EndsWith("Id", StringComparison.OrdinalIgnoreCase) ? name[..^2] : name;
        var caps = new string(stem.Where(char.IsUpper).ToArray()).ToLowerInvariant();
        return caps.Length is > 0 and <= 4 ? caps : stem.Length >= 3 ? stem[..3].ToLowerInvariant() : "id";
    }

    private static string Singular(string name) => name.EndsWith('s') ? name[..^1] : name;

    internal static string Kebab(string name)
    {
        var sb = new StringBuilder(name.Length + 4);
        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            if (char.IsUpper(c) && i > 0 && (char.IsLower(name[i - 1]) || (i + 1 < name.Length && char.IsLower(name[i + 1])))) sb.Append('-');
            sb.Append(char.ToLowerInvariant(c));
        }
        return sb.ToString();
    }
}
