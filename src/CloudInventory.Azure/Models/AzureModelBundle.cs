using System.IO.Compression;
using System.Text.Json;

namespace CloudInventory.Azure.Models;

/// <summary>
/// Azure's resource type models, embedded: every resource type with a stable API version, its latest stable
/// version and the shape of its <c>properties</c> with read-only, write-only and sensitive flags. Generated from NuGet
/// Azure.Bicep.Types.Az by eng/AzureModelBundle (<c>dotnet run --project eng/AzureModelBundle -c Release</c>).
/// Types are matched case-insensitively (Resource Graph lower-cases them).
/// </summary>
public sealed class AzureModelBundle
{
    private const string ResourceName = "CloudInventory.azure-models.json.gz";
    private static readonly Lazy<AzureModelBundle> s_default = new(Load);
    private readonly Dictionary<string, AzureResourceModel> _byType;

    private AzureModelBundle(string header, IReadOnlyDictionary<string, string> source, List<AzureResourceModel> types)
    {
        Header = header;
        Source = source;
        Types = types;
        _byType = types.ToDictionary(t => t.Type, StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>The bundle embedded in this assembly.</summary>
    public static AzureModelBundle Default => s_default.Value;

    /// <summary>The generated header: where the bundle came from and how to regenerate it.</summary>
    public string Header { get; }

    /// <summary>The NuGet packages (name → version) the bundle was generated from.</summary>
    public IReadOnlyDictionary<string, string> Source { get; }

    /// <summary>Every modelled resource type, in ordinal-ignore-case order.</summary>
    public IReadOnlyList<AzureResourceModel> Types { get; }

    /// <summary>
    /// Where the embedded bundle came from, e.g. <c>Azure.Bicep.Types.Az@0.2.972</c>, read from the start of the bundle
    /// without loading its types (for <c>--version</c>).
    /// </summary>
    public static string EmbeddedSource()
    {
        using var stream = typeof(AzureModelBundle).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"the embedded resource {ResourceName} is missing");
        using var gzip = new GZipStream(stream, CompressionMode.Decompress);
        var buffer = new byte[16 * 1024]; // "header" and "source" come first
        var length = 0;
        int read;
        while (length < buffer.Length && (read = gzip.Read(buffer, length, buffer.Length - length)) > 0) length += read;
        var reader = new Utf8JsonReader(buffer.AsSpan(0, length), isFinalBlock: false, default);
        var packages = new List<string>();
        while (reader.Read())
        {
            if (reader.TokenType != JsonTokenType.PropertyName || reader.CurrentDepth != 1 || !reader.ValueTextEquals("source")) continue;
            reader.Read();
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var name = reader.GetString()!;
                reader.Read();
                packages.Add($"{name}@{reader.GetString()}");
            }
            break;
        }
        return packages.Count == 0 ? "unknown" : string.Join(", ", packages.Where(p => p.StartsWith("Azure.Bicep.Types.Az@", StringComparison.Ordinal)).DefaultIfEmpty(packages[0]));
    }

    /// <summary>The model of a resource type (any casing), or null.</summary>
    public AzureResourceModel? Find(string type) => _byType.GetValueOrDefault(type);

    private static AzureModelBundle Load()
    {
        using var stream = typeof(AzureModelBundle).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"the embedded resource {ResourceName} is missing");
        using var gzip = new GZipStream(stream, CompressionMode.Decompress);
        using var doc = JsonDocument.Parse(gzip);
        var root = doc.RootElement;
        var source = root.GetProperty("source").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()!);
        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        var types = root.GetProperty("types").EnumerateArray().Select(t => new AzureResourceModel(
            t.GetProperty("type").GetString()!,
            t.GetProperty("apiVersion").GetString()!,
            t.TryGetProperty("properties", out var p) ? ReadShape(p, names) : null)).ToList();
        return new AzureModelBundle(root.GetProperty("header").GetString()!, source, types);
    }

    // Primitive shapes are shared, and member names and enum values are kept once each (names repeat across thousands of
    // types: id, name, provisioningState…): the whole bundle in memory is then a fraction of what one object per value made it.
    private static AzureShape ReadShape(JsonElement e, Dictionary<string, string> names)
    {
        if (e.ValueKind == JsonValueKind.String)
        {
            return e.GetString() switch
            {
                "string" => AzureShape.String,
                "integer" => AzureShape.Integer,
                "boolean" => AzureShape.Boolean,
                _ => AzureShape.Any,
            };
        }
        if (e.TryGetProperty("enum", out var values)) return new AzureShape(AzureShapeKind.Enum, values.EnumerateArray().Select(v => Once(v.GetString()!, names)).ToArray());
        if (e.TryGetProperty("array", out var item)) return new AzureShape(AzureShapeKind.Array, item: ReadShape(item, names));
        var obj = e.GetProperty("object");
        var members = new Dictionary<string, AzureMember>(obj.GetPropertyCount(), StringComparer.Ordinal);
        foreach (var m in obj.EnumerateObject())
        {
            var flags = m.Value.TryGetProperty("flags", out var f) ? f.GetString()! : "";
            var name = Once(m.Name, names);
            members[name] = new AzureMember(name, ReadShape(m.Value.GetProperty("shape"), names), flags.Contains('r'), flags.Contains('w'), flags.Contains('s'));
        }
        return new AzureShape(AzureShapeKind.Object, members: members,
            additional: e.TryGetProperty("additional", out var a) ? ReadShape(a, names) : null,
            discriminator: e.TryGetProperty("discriminator", out var d) ? Once(d.GetString()!, names) : null);
    }

    private static string Once(string text, Dictionary<string, string> names)
    {
        if (names.TryGetValue(text, out var kept)) return kept;
        names[text] = text;
        return text;
    }
}
