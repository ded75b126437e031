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
        var types = root.GetProperty("types").EnumerateArray().Select(t => new AzureResourceModel(
            t.GetProperty("type").GetString()!,
            t.GetProperty("apiVersion").GetString()!,
            t.TryGetProperty("properties", out var p) ? ReadShape(p) : null)).ToList();
        return new AzureModelBundle(root.GetProperty("header").GetString()!, source, types);
    }

    private static AzureShape ReadShape(JsonElement e)
    {
        if (e.ValueKind == JsonValueKind.String)
        {
            return e.GetString() switch
            {
                "string" => new AzureShape(AzureShapeKind.String),
                "integer" => new AzureShape(AzureShapeKind.Integer),
                "boolean" => new AzureShape(AzureShapeKind.Boolean),
                _ => AzureShape.Any,
            };
        }
        if (e.TryGetProperty("enum", out var values)) return new AzureShape(AzureShapeKind.Enum, values.EnumerateArray().Select(v => v.GetString()!).ToList());
        if (e.TryGetProperty("array", out var item)) return new AzureShape(AzureShapeKind.Array, item: ReadShape(item));
        var members = new Dictionary<string, AzureMember>(StringComparer.Ordinal);
        foreach (var m in e.GetProperty("object").EnumerateObject())
        {
            var flags = m.Value.TryGetProperty("flags", out var f) ? f.GetString()! : "";
            members[m.Name] = new AzureMember(m.Name, ReadShape(m.Value.GetProperty("shape")), flags.Contains('r'), flags.Contains('w'), flags.Contains('s'));
        }
        return new AzureShape(AzureShapeKind.Object, members: members,
            additional: e.TryGetProperty("additional", out var a) ? ReadShape(a) : null,
            discriminator: e.TryGetProperty("discriminator", out var d) ? d.GetString() : null);
    }
}
