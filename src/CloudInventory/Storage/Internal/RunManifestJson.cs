using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace CloudInventory.Storage.Internal;

/// <summary>The manifest's JSON form: snake_case names in declaration order, snake_case enums, nulls written, UTC ISO-8601 times.</summary>
internal static class RunManifestJson
{
    private static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
        IndentSize = 2,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower, allowIntegerValues: false), new UtcTimestampConverter() },
        RespectNullableAnnotations = true,
        RespectRequiredConstructorParameters = true,
    };

    public static string Serialize(RunManifest manifest) => JsonSerializer.Serialize(manifest, Options);

    public static RunManifest Deserialize(string json)
    {
        try
        {
            using (var document = JsonDocument.Parse(json))
            {
                if (StoreFormat.RefusalFor(document.RootElement) is { } refusal) throw new InventoryStoreException(refusal) { NewerFormat = true };
            }
            return JsonSerializer.Deserialize<RunManifest>(json, Options) ?? throw new InventoryStoreException("a run manifest is null");
        }
        catch (JsonException ex)
        {
            throw new InventoryStoreException($"a run manifest is not valid: {ex.Message}", ex);
        }
    }

    private sealed class UtcTimestampConverter : JsonConverter<DateTimeOffset>
    {
        public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            DateTimeOffset.TryParse(reader.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var value)
                ? value.ToUniversalTime()
                : throw new JsonException($"'{reader.GetString()}' is not an ISO-8601 time");

        public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options) =>
            writer.WriteStringValue(value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture));
    }
}
