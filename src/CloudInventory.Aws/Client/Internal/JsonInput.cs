using System.Text.Json.Nodes;

namespace CloudInventory.Aws.Client.Internal;

/// <summary>Copies input trees without losing typed values.</summary>
internal static class JsonInput
{
    /// <summary>
    /// A deep copy that keeps byte-array values as byte arrays: <see cref="JsonNode.DeepClone"/> turns
    /// them into base64 strings, which the serializer would then send as the UTF-8 bytes of that text.
    /// </summary>
    public static JsonNode? Clone(JsonNode? node) => node switch
    {
        null => null,
        JsonObject obj => new JsonObject(obj.Select(p => KeyValuePair.Create(p.Key, Clone(p.Value)))),
        JsonArray array => new JsonArray(array.Select(Clone).ToArray()),
        JsonValue value when value.TryGetValue<byte[]>(out var bytes) => JsonValue.Create((byte[])bytes.Clone()),
        _ => node.DeepClone(),
    };
}
