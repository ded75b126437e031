// Reads Azure's resource type models (NuGet Azure.Bicep.Types.Az, generated from Azure's public OpenAPI specs) and
// writes the compact bundle CloudInventory.Azure embeds: per resource type, its latest stable API version and the
// shape of its `properties` with read-only / write-only / sensitive flags. Deterministic: same package, same bytes.
//
//   dotnet run --project eng/AzureModelBundle -c Release [output path]
using System.IO.Compression;
using System.Text.Json;
using System.Text.RegularExpressions;
using Azure.Bicep.Types.Az;
using Azure.Bicep.Types.Concrete;

const string TypesVersion = "0.6.144";
const string AzVersion = "0.2.972";
const int MaxDepth = 10;

var output = args.Length > 0 ? args[0] : Path.Combine(FindRoot(), "src", "CloudInventory.Azure", "Models", "azure-models.json.gz");
var loader = new AzTypeLoader();
var index = loader.LoadTypeIndex();
var stable = new Regex(@"^\d{4}-\d{2}-\d{2}$", RegexOptions.CultureInvariant);
var latest = index.Resources
    .Select(kv => (Key: kv.Key, Reference: kv.Value, At: kv.Key.LastIndexOf('@')))
    .Where(r => r.At > 0 && stable.IsMatch(r.Key[(r.At + 1)..]))
    .GroupBy(r => r.Key[..r.At], StringComparer.OrdinalIgnoreCase)
    .Select(g => g.OrderByDescending(r => r.Key[(r.At + 1)..], StringComparer.Ordinal).First())
    .OrderBy(r => r.Key[..r.At], StringComparer.OrdinalIgnoreCase)
    .ToList();

using var buffer = new MemoryStream();
using (var writer = new Utf8JsonWriter(buffer))
{
    writer.WriteStartObject();
    writer.WriteString("header", $"GENERATED from NuGet Azure.Bicep.Types.Az {AzVersion} (read with Azure.Bicep.Types {TypesVersion}) by eng/AzureModelBundle; do not edit. Regenerate: dotnet run --project eng/AzureModelBundle -c Release");
    writer.WriteStartObject("source");
    writer.WriteString("Azure.Bicep.Types", TypesVersion);
    writer.WriteString("Azure.Bicep.Types.Az", AzVersion);
    writer.WriteEndObject();
    writer.WriteStartArray("types");
    foreach (var (key, reference, at) in latest)
    {
        var resource = loader.LoadResourceType(reference);
        writer.WriteStartObject();
        writer.WriteString("type", key[..at]);
        writer.WriteString("apiVersion", key[(at + 1)..]);
        if (Body(resource.Body.Type) is { } body && body.TryGetValue("properties", out var properties))
        {
            writer.WritePropertyName("properties");
            WriteShape(writer, properties.Type.Type, [], 0);
            var flags = Flags(properties);
            if (flags.Length > 0) writer.WriteString("flags", flags);
        }
        writer.WriteEndObject();
    }
    writer.WriteEndArray();
    writer.WriteEndObject();
}
Directory.CreateDirectory(Path.GetDirectoryName(output)!);
using (var file = File.Create(output))
using (var gzip = new GZipStream(file, CompressionLevel.SmallestSize))
{
    buffer.Position = 0;
    buffer.CopyTo(gzip);
}
Console.WriteLine($"{latest.Count} resource types with a stable API version -> {output} ({new FileInfo(output).Length:N0} bytes, {buffer.Length:N0} bytes of JSON)");
return 0;

static IReadOnlyDictionary<string, ObjectTypeProperty>? Body(TypeBase type) => type switch
{
    ObjectType o => o.Properties,
    DiscriminatedObjectType d => d.BaseProperties,
    _ => null,
};

static string Flags(ObjectTypeProperty property)
{
    var flags = "";
    if (property.Flags.HasFlag(ObjectTypePropertyFlags.ReadOnly)) flags += "r";
    if (property.Flags.HasFlag(ObjectTypePropertyFlags.WriteOnly)) flags += "w";
    if (IsSensitive(property.Type.Type)) flags += "s";
    return flags;
}

static bool IsSensitive(TypeBase type) => type switch
{
    StringType s => s.Sensitive == true,
    ObjectType o => o.Sensitive == true,
    _ => false,
};

// A shape: "string" | "integer" | "boolean" | "any" | {"enum": [...]} | {"array": shape} |
// {"object": {member: {"shape": shape, "flags": "rws"}}, "additional": shape}. A type met again on its own path
// (recursive models) or nested deeper than MaxDepth becomes "any" (kept as JSON).
static void WriteShape(Utf8JsonWriter writer, TypeBase type, List<TypeBase> path, int depth)
{
    switch (type)
    {
        case StringType:
            writer.WriteStringValue("string");
            return;
        case IntegerType:
            writer.WriteStringValue("integer");
            return;
        case BooleanType:
            writer.WriteStringValue("boolean");
            return;
        case StringLiteralType literal:
            writer.WriteStartObject();
            writer.WriteStartArray("enum");
            writer.WriteStringValue(literal.Value);
            writer.WriteEndArray();
            writer.WriteEndObject();
            return;
        case UnionType union when union.Elements.All(e => e.Type is StringLiteralType or StringType):
            if (union.Elements.Any(e => e.Type is StringType))
            {
                writer.WriteStringValue("string");
                return;
            }
            writer.WriteStartObject();
            writer.WriteStartArray("enum");
            foreach (var value in union.Elements.Select(e => ((StringLiteralType)e.Type).Value).Distinct().Order(StringComparer.Ordinal)) writer.WriteStringValue(value);
            writer.WriteEndArray();
            writer.WriteEndObject();
            return;
        case ArrayType array when depth < MaxDepth:
            writer.WriteStartObject();
            writer.WritePropertyName("array");
            WriteShape(writer, array.ItemType.Type, path, depth + 1);
            writer.WriteEndObject();
            return;
        case ObjectType or DiscriminatedObjectType when depth < MaxDepth && !path.Contains(type):
            path.Add(type);
            var members = Members(type);
            writer.WriteStartObject();
            writer.WriteStartObject("object");
            foreach (var (name, property) in members.OrderBy(m => m.Key, StringComparer.Ordinal))
            {
                writer.WriteStartObject(name);
                writer.WritePropertyName("shape");
                WriteShape(writer, property.Type.Type, path, depth + 1);
                var flags = Flags(property);
                if (flags.Length > 0) writer.WriteString("flags", flags);
                writer.WriteEndObject();
            }
            writer.WriteEndObject();
            if (type is ObjectType { AdditionalProperties: { } additional })
            {
                writer.WritePropertyName("additional");
                WriteShape(writer, additional.Type, path, depth + 1);
            }
            if (type is DiscriminatedObjectType d) writer.WriteString("discriminator", d.Discriminator);
            writer.WriteEndObject();
            path.RemoveAt(path.Count - 1);
            return;
        default:
            writer.WriteStringValue("any");
            return;
    }
}

// A discriminated object's members: its base members and every variant's, the first definition of a name winning
// (variants that disagree on a member's type make it "any").
static Dictionary<string, ObjectTypeProperty> Members(TypeBase type)
{
    if (type is ObjectType o) return new Dictionary<string, ObjectTypeProperty>(o.Properties, StringComparer.Ordinal);
    var d = (DiscriminatedObjectType)type;
    var members = new Dictionary<string, ObjectTypeProperty>(d.BaseProperties, StringComparer.Ordinal);
    foreach (var (_, element) in d.Elements.OrderBy(e => e.Key, StringComparer.Ordinal))
    {
        if (element.Type is not ObjectType variant) continue;
        foreach (var (name, property) in variant.Properties)
        {
            if (!members.TryGetValue(name, out var existing)) members[name] = property;
            else if (existing.Type.Type.GetType() != property.Type.Type.GetType()) members[name] = new ObjectTypeProperty(new AnyTypeReference(), existing.Flags | property.Flags, null);
        }
    }
    return members;
}

static string FindRoot()
{
    for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
    {
        if (File.Exists(Path.Combine(dir.FullName, "CloudInventory.slnx"))) return dir.FullName;
    }
    throw new InvalidOperationException("no CloudInventory.slnx above " + AppContext.BaseDirectory);
}

sealed class AnyTypeReference : ITypeReference
{
    public TypeBase Type { get; } = new AnyType();
}
