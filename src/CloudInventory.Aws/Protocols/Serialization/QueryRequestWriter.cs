using System.Text;
using System.Text.Json.Nodes;
using CloudInventory.Aws.Models;

namespace CloudInventory.Aws.Protocols.Serialization;

/// <summary>
/// The query and ec2 protocols: <c>POST /</c> with a form body <c>Action=…&amp;Version=…&amp;…</c>.
/// Query names lists <c>Name.member.N</c> (flattened <c>Name.N</c>) and maps
/// <c>Name.entry.N.key/value</c>; ec2 names members by <c>queryName</c>, else the capitalized
/// <c>locationName</c> or member name, and always flattens lists (an empty list sends nothing).
/// </summary>
internal sealed class QueryRequestWriter(SerializationContext ctx, bool ec2)
{
    private readonly List<KeyValuePair<string, string>> _pairs = [];

    public void Write(AwsHttpRequest request, List<BoundMember> input)
    {
        var operation = ctx.Operation;
        _pairs.Add(new("Action", operation.Name));
        _pairs.Add(new("Version", operation.Service.ApiVersion));
        foreach (var b in input) WriteValue(MemberName(b.Member), b.Member, b.Value, b.Path);

        var body = new StringBuilder();
        foreach (var (key, value) in _pairs)
        {
            if (body.Length > 0) body.Append('&');
            body.Append(UriEncoding.Encode(key)).Append('=').Append(UriEncoding.Encode(value));
        }
        request.Method = "POST";
        request.Path = "/";
        request.Headers["Content-Type"] = "application/x-www-form-urlencoded; charset=utf-8";
        request.Body = Encoding.UTF8.GetBytes(body.ToString());
    }

    private void WriteValue(string prefix, Member member, JsonNode node, string path)
    {
        var shape = member.Shape;
        switch (shape.Type)
        {
            case ShapeType.Structure:
                var obj = InputValues.Structure(ctx, node, path);
                foreach (var b in ctx.BindStructure(shape, obj, path))
                {
                    WriteValue(prefix + "." + MemberName(b.Member), b.Member, b.Value, b.Path);
                }
                break;
            case ShapeType.List:
                var list = InputValues.List(ctx, node, path);
                if (list.Count == 0)
                {
                    // The query protocol sends an empty list as an empty value; ec2 sends nothing.
                    if (!ec2) _pairs.Add(new(prefix, ""));
                    break;
                }
                var item = shape.ListMember!;
                var itemPrefix = ec2 || member.Flattened ? prefix : prefix + "." + (item.LocationName ?? "member");
                for (var i = 0; i < list.Count; i++)
                {
                    if (list[i] is { } element) WriteValue(itemPrefix + "." + (i + 1), item, element, SerializationContext.Index(path, i));
                }
                break;
            case ShapeType.Map:
                var map = InputValues.Map(ctx, node, path);
                var entryPrefix = member.Flattened ? prefix : prefix + ".entry";
                var keyName = shape.MapKey!.LocationName ?? "key";
                var valueName = shape.MapValue!.LocationName ?? "value";
                var n = 0;
                foreach (var (key, value) in map)
                {
                    if (value is null) continue;
                    n++;
                    _pairs.Add(new($"{entryPrefix}.{n}.{keyName}", key));
                    WriteValue($"{entryPrefix}.{n}.{valueName}", shape.MapValue, value, SerializationContext.Key(path, key));
                }
                break;
            default:
                _pairs.Add(new(prefix, ScalarText.Format(ctx, member, node, path, ScalarText.Iso8601)));
                break;
        }
    }

    /// <summary>The name a structure member travels under.</summary>
    private string MemberName(Member member)
    {
        if (ec2)
        {
            if (member.QueryName is { } queryName) return queryName;
            return Capitalize(member.LocationName ?? member.Name);
        }
        if (member.LocationName is { } locationName) return locationName;
        // A flattened list takes the name of its items when the member itself is not renamed
        // (how botocore-format models carry Smithy's @xmlName on flattened lists, e.g. SQS AttributeName.N).
        if (member.Shape.Type == ShapeType.List && member.Flattened && member.Shape.ListMember!.LocationName is { } itemName) return itemName;
        return member.Name;
    }

    private static string Capitalize(string name) =>
        name.Length == 0 || char.IsUpper(name[0]) ? name : char.ToUpperInvariant(name[0]) + name[1..];
}
