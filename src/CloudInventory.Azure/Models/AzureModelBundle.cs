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
    private static readonly Lazy<AzureModelBundle> s_default = new(LoadEmbedded);
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

    // The bundle is kept as its UTF-8 JSON (4 MB) and each type's shape read from its slice when first asked for. Read
    // up front from one document over the whole bundle, every type's shape cost ~13 MiB of objects and the document
    // ~40 MiB of buffers that the shared ArrayPool kept after it was disposed; a run needs the few dozen types it
    // collects or meets.
    // A new instance of the embedded bundle (Default is the process's one).
    internal static AzureModelBundle LoadEmbedded()
    {
        using var stream = typeof(AzureModelBundle).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"the embedded resource {ResourceName} is missing");
        // The gzip trailer's last four bytes are the uncompressed length (mod 2^32): the JSON is read into one array of
        // that length, kept for the process's life, rather than through a growing buffer (megabytes of large-object garbage).
        Span<byte> trailer = stackalloc byte[4];
        stream.Seek(-4, SeekOrigin.End);
        stream.ReadExactly(trailer);
        stream.Seek(0, SeekOrigin.Begin);
        var length = System.Buffers.Binary.BinaryPrimitives.ReadInt32LittleEndian(trailer);
        if (length <= 0) throw Malformed($"its gzip trailer gives a length of {length}");
        var bytes = GC.AllocateUninitializedArray<byte>(length);
        using (var gzip = new GZipStream(stream, CompressionMode.Decompress, leaveOpen: true))
        {
            try
            {
                gzip.ReadExactly(bytes);
            }
            catch (EndOfStreamException)
            {
                throw Malformed($"it is shorter than the {length} bytes its gzip trailer gives");
            }
            if (gzip.ReadByte() != -1) throw Malformed($"it is longer than the {length} bytes its gzip trailer gives");
        }
        ReadOnlyMemory<byte> json = bytes;
        var reader = new Utf8JsonReader(json.Span);
        string? header = null;
        var source = new Dictionary<string, string>(StringComparer.Ordinal);
        var types = new List<AzureResourceModel>();
        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        var gate = new object();
        Expect(ref reader, JsonTokenType.StartObject);
        while (Next(ref reader) == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("header"))
            {
                Next(ref reader);
                header = reader.GetString();
            }
            else if (reader.ValueTextEquals("source"))
            {
                Expect(ref reader, JsonTokenType.StartObject);
                while (Next(ref reader) == JsonTokenType.PropertyName)
                {
                    var package = reader.GetString()!;
                    Next(ref reader);
                    source[package] = reader.GetString()!;
                }
            }
            else if (reader.ValueTextEquals("types"))
            {
                Expect(ref reader, JsonTokenType.StartArray);
                while (Next(ref reader) == JsonTokenType.StartObject) types.Add(ReadType(ref reader, json, names, gate));
            }
            else
            {
                Next(ref reader);
                reader.Skip();
            }
        }
        return new AzureModelBundle(header ?? throw Malformed("no header"), source, types);
    }

    // One element of "types": its name and API version now, the slice of its "properties" for later.
    private static AzureResourceModel ReadType(ref Utf8JsonReader reader, ReadOnlyMemory<byte> json, Dictionary<string, string> names, object gate)
    {
        string? type = null, apiVersion = null;
        ReadOnlyMemory<byte> properties = default;
        while (Next(ref reader) == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("type"))
            {
                Next(ref reader);
                type = reader.GetString();
            }
            else if (reader.ValueTextEquals("apiVersion"))
            {
                Next(ref reader);
                apiVersion = reader.GetString();
            }
            else if (reader.ValueTextEquals("properties"))
            {
                Next(ref reader);
                var start = (int)reader.TokenStartIndex;
                reader.Skip();
                properties = json[start..(int)reader.BytesConsumed];
            }
            else
            {
                Next(ref reader);
                reader.Skip();
            }
        }
        if (type is null || apiVersion is null) throw Malformed("a type without its name or API version");
        if (properties.IsEmpty) return new AzureResourceModel(type, apiVersion, null);
        return new AzureResourceModel(type, apiVersion, () =>
        {
            using var doc = JsonDocument.Parse(properties);
            return ReadShape(doc.RootElement, names);
        }, gate);
    }

    private static JsonTokenType Next(ref Utf8JsonReader reader) =>
        reader.Read() ? reader.TokenType : throw Malformed("it ends early");

    private static void Expect(ref Utf8JsonReader reader, JsonTokenType token)
    {
        if (Next(ref reader) != token) throw Malformed($"expected {token} at byte {reader.TokenStartIndex}, found {reader.TokenType}");
    }

    private static InvalidOperationException Malformed(string why) => new($"the embedded resource {ResourceName} is malformed: {why}");

    // Primitive shapes are shared, and member names and enum values are kept once each (names repeat across types: id,
    // name, provisioningState…). Called under the models' shared lock (names is shared).
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
