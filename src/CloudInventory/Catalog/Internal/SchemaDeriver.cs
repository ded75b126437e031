using System.Text.RegularExpressions;
using CloudInventory.Aws.Models;

namespace CloudInventory.Catalog.Internal;

/// <summary>
/// Derives column types from AWS model shapes: structure→struct, list→list, map→map,
/// string/enum→string, integer→int32, long→int64, float/double→double, boolean→bool,
/// timestamp→timestamp, blob→binary. A structure met again inside itself (a recursive shape) is
/// cut there into a JSON-text field; untyped documents are JSON text too. Secret-bearing members
/// (the model's <c>sensitive</c> trait, except on identifiers; user data, environment variables, passwords, keys) are
/// left out at any depth, as are structures with nothing left in them.
/// </summary>
internal static partial class SchemaDeriver
{
    /// <summary>The type of a member's value, or null when nothing of it is kept.</summary>
    public static ColumnType? Derive(Member member) => Derive(member.Shape, new HashSet<Shape>(ReferenceEqualityComparer.Instance));

    /// <summary>The type of a shape's value, or null when nothing of it is kept.</summary>
    public static ColumnType? Derive(Shape shape) => Derive(shape, new HashSet<Shape>(ReferenceEqualityComparer.Instance));

    /// <summary>True when a member is never collected because it may carry a secret.</summary>
    public static bool IsSecret(Member member)
    {
        var shape = member.Shape;
        // Models mark identifiers such as S3's KMSMasterKeyID sensitive too; an identifier is not a secret.
        if (shape.Sensitive) return !(shape.Type == ShapeType.String && Identifier().IsMatch(member.Name));
        if (member.Name.Equals("UserData", StringComparison.OrdinalIgnoreCase)) return true;
        if (shape.Type is ShapeType.List or ShapeType.Map && EnvironmentName().IsMatch(member.Name)) return true;
        return shape.Type is ShapeType.String or ShapeType.Blob && SecretName().IsMatch(member.Name);
    }

    /// <summary>True for a list of Key/Value structures (a tag list).</summary>
    public static bool IsTagList(Shape shape)
    {
        if (shape.Type != ShapeType.List || shape.ListMember!.Shape is not { Type: ShapeType.Structure } element) return false;
        var names = element.Members.Select(m => m.Name.ToLowerInvariant()).Order(StringComparer.Ordinal).ToArray();
        return names is ["key", "value"] or ["tagkey", "tagvalue"]
            && element.Members.All(m => m.Shape.Type == ShapeType.String);
    }

    /// <summary>A one-line description of a member's shape (its enum values), or null.</summary>
    public static string? Describe(Shape shape)
    {
        if (shape.EnumValues is not { Count: > 0 } values) return null;
        var shown = values.Take(12).ToArray();
        return "One of: " + string.Join(", ", shown) + (values.Count > shown.Length ? ", …" : "") + ".";
    }

    private static ColumnType? Derive(Shape shape, HashSet<Shape> path)
    {
        if (shape.Document) return ColumnType.Json;
        switch (shape.Type)
        {
            case ShapeType.String: return ColumnType.String;
            case ShapeType.Integer: return ColumnType.Int32;
            case ShapeType.Long: return ColumnType.Int64;
            case ShapeType.Float or ShapeType.Double: return ColumnType.Double;
            case ShapeType.Boolean: return ColumnType.Bool;
            case ShapeType.Timestamp: return ColumnType.Timestamp;
            case ShapeType.Blob: return ColumnType.Binary;
            case ShapeType.List:
                {
                    // A list of a structure we are already inside: the whole list becomes JSON text.
                    if (path.Contains(shape.ListMember!.Shape)) return ColumnType.Json;
                    var element = Derive(shape.ListMember!.Shape, path);
                    return element is null ? null : ColumnType.List(element);
                }
            case ShapeType.Map:
                {
                    if (path.Contains(shape.MapValue!.Shape)) return ColumnType.Json;
                    var key = Derive(shape.MapKey!.Shape, path) ?? ColumnType.String;
                    var value = Derive(shape.MapValue!.Shape, path);
                    return value is null ? null : ColumnType.Map(key.IsNested ? ColumnType.String : key, value);
                }
            case ShapeType.Structure:
                {
                    if (!path.Add(shape)) return ColumnType.Json;
                    try
                    {
                        var fields = StructFields(shape.Members, path);
                        return fields.Count == 0 ? null : ColumnType.Struct(fields);
                    }
                    finally
                    {
                        path.Remove(shape);
                    }
                }
            default: throw new InvalidOperationException($"unknown shape type {shape.Type}");
        }
    }

    private static List<StructField> StructFields(IReadOnlyList<Member> members, HashSet<Shape> path)
    {
        var fields = new List<StructField>(members.Count);
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var member in members)
        {
            if (IsSecret(member) || member.Location is MemberLocation.StatusCode) continue;
            var type = Derive(member.Shape, path);
            if (type is null) continue;
            var name = ColumnNames.ToSnakeCase(member.Name);
            for (var n = 2; !names.Add(name); n++) name = $"{ColumnNames.ToSnakeCase(member.Name)}_{n}";
            fields.Add(new StructField(name, member.Name, type));
        }
        return fields;
    }

    [GeneratedRegex("(Id|ID|Arn|ARN|Ids|Arns)$", RegexOptions.CultureInvariant)]
    private static partial Regex Identifier();

    [GeneratedRegex("^(Environment|EnvironmentVariables|Variables)$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex EnvironmentName();

    [GeneratedRegex("(Password|Passphrase|SecretAccessKey|SecretString|SecretBinary|PrivateKey|SessionToken|AuthToken|ClientSecret)$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex SecretName();
}
