using System.Buffers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using CloudInventory.Aws.Models;

namespace CloudInventory.Aws.Protocols.Serialization;

/// <summary>
/// Writes JSON bodies for the json and rest-json protocols: members under their
/// <c>locationName</c>, timestamps as epoch seconds by default, blobs base64, NaN and infinities
/// as strings, documents verbatim.
/// </summary>
internal sealed class JsonBodyWriter(SerializationContext ctx)
{
    /// <summary>A JSON object of the given members.</summary>
    public byte[] WriteObject(IEnumerable<BoundMember> members)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            foreach (var b in members)
            {
                writer.WritePropertyName(b.Member.LocationName ?? b.Member.Name);
                WriteValue(writer, b.Member, b.Value, b.Path);
            }
            writer.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>One value as a whole JSON document (a structure or document payload).</summary>
    public byte[] WriteDocument(Member member, JsonNode node, string path)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            WriteValue(writer, member, node, path);
        }
        return buffer.WrittenSpan.ToArray();
    }

    private void WriteValue(Utf8JsonWriter writer, Member member, JsonNode? node, string path)
    {
        if (node is null)
        {
            // Only list items and map values reach here as null (sparse collections).
            writer.WriteNullValue();
            return;
        }
        var shape = member.Shape;
        if (shape.Document)
        {
            node.WriteTo(writer);
            return;
        }
        switch (shape.Type)
        {
            case ShapeType.Structure:
                writer.WriteStartObject();
                foreach (var b in ctx.BindStructure(shape, InputValues.Structure(ctx, node, path), path))
                {
                    writer.WritePropertyName(b.Member.LocationName ?? b.Member.Name);
                    WriteValue(writer, b.Member, b.Value, b.Path);
                }
                writer.WriteEndObject();
                break;
            case ShapeType.List:
                var list = InputValues.List(ctx, node, path);
                writer.WriteStartArray();
                for (var i = 0; i < list.Count; i++) WriteValue(writer, shape.ListMember!, list[i], SerializationContext.Index(path, i));
                writer.WriteEndArray();
                break;
            case ShapeType.Map:
                writer.WriteStartObject();
                foreach (var (key, value) in InputValues.Map(ctx, node, path))
                {
                    writer.WritePropertyName(key);
                    WriteValue(writer, shape.MapValue!, value, SerializationContext.Key(path, key));
                }
                writer.WriteEndObject();
                break;
            case ShapeType.String:
                writer.WriteStringValue(member.JsonValue ? JsonValueText(node) : InputValues.String(ctx, node, path));
                break;
            case ShapeType.Integer:
            case ShapeType.Long:
                writer.WriteNumberValue(InputValues.Integer(ctx, node, path));
                break;
            case ShapeType.Float:
            case ShapeType.Double:
                var d = InputValues.Double(ctx, node, path);
                if (double.IsFinite(d)) writer.WriteNumberValue(d);
                else writer.WriteStringValue(ScalarText.Double(d));
                break;
            case ShapeType.Boolean:
                writer.WriteBooleanValue(InputValues.Boolean(ctx, node, path));
                break;
            case ShapeType.Timestamp:
                var t = InputValues.Timestamp(ctx, node, path);
                var format = member.TimestampFormat ?? ScalarText.UnixTimestamp;
                if (format == ScalarText.UnixTimestamp) writer.WriteNumberValue(ScalarText.EpochSeconds(t));
                else writer.WriteStringValue(ScalarText.Timestamp(t, format));
                break;
            case ShapeType.Blob:
                writer.WriteBase64StringValue(InputValues.Blob(ctx, node, path));
                break;
        }
    }

    /// <summary>
    /// The text of a <c>jsonvalue</c> member: a string is taken as JSON text already, anything
    /// else is serialized.
    /// </summary>
    public static string JsonValueText(JsonNode node) =>
        node is JsonValue v && v.TryGetValue<string>(out var s) ? s : node.ToJsonString();

    /// <summary>UTF-8 bytes of <see cref="JsonValueText"/>.</summary>
    public static byte[] JsonValueBytes(JsonNode node) => Encoding.UTF8.GetBytes(JsonValueText(node));
}
