using System.Text;
using System.Text.Json.Nodes;
using CloudInventory.Aws.Models;

namespace CloudInventory.Aws.Protocols.Serialization;

/// <summary>
/// Writes rest-xml bodies: elements named by <c>locationName</c>, <c>xmlNamespace</c>
/// declarations (default or prefixed) where the model puts them, <c>xmlAttribute</c> members as
/// attributes, wrapped lists (<c>member</c> items) and maps (<c>entry/key/value</c>) unless
/// flattened, timestamps ISO-8601 by default, blobs base64.
/// </summary>
internal sealed class XmlBodyWriter(SerializationContext ctx)
{
    private readonly StringBuilder _xml = new();

    /// <summary>The root element <paramref name="name"/> holding the given members of <paramref name="reference"/>'s structure.</summary>
    public byte[] WriteRoot(string name, Member reference, IEnumerable<BoundMember> members)
    {
        _xml.Clear();
        WriteStructure(name, reference.XmlNamespace, members);
        return Encoding.UTF8.GetBytes(_xml.ToString());
    }

    /// <summary>One structure value as the whole document, under the root element <paramref name="name"/>.</summary>
    public byte[] WriteDocument(string name, Member member, JsonNode node, string path)
    {
        _xml.Clear();
        WriteElement(name, member, node, path);
        return Encoding.UTF8.GetBytes(_xml.ToString());
    }

    private void WriteStructure(string name, XmlNamespace? ns, IEnumerable<BoundMember> members)
    {
        var all = members as IReadOnlyCollection<BoundMember> ?? members.ToList();
        _xml.Append('<').Append(name);
        AppendNamespace(ns);
        foreach (var b in all)
        {
            if (!b.Member.XmlAttribute) continue;
            var text = ScalarText.Format(ctx, b.Member, b.Value, b.Path, ScalarText.Iso8601);
            _xml.Append(' ').Append(b.Member.LocationName ?? b.Member.Name).Append("=\"");
            Escape(text, attribute: true);
            _xml.Append('"');
        }
        _xml.Append('>');
        foreach (var b in all)
        {
            if (!b.Member.XmlAttribute) WriteMember(b.Member, b.Value, b.Path);
        }
        _xml.Append("</").Append(name).Append('>');
    }

    /// <summary>A structure member: one element, or one element per item when it is a flattened list or map.</summary>
    private void WriteMember(Member member, JsonNode node, string path)
    {
        var name = member.LocationName ?? member.Name;
        var shape = member.Shape;
        if (shape.Type == ShapeType.List && member.Flattened)
        {
            var list = InputValues.List(ctx, node, path);
            var item = shape.ListMember!;
            for (var i = 0; i < list.Count; i++)
            {
                if (list[i] is { } element) WriteElement(name, item, element, SerializationContext.Index(path, i), item.XmlNamespace ?? member.XmlNamespace);
            }
            return;
        }
        if (shape.Type == ShapeType.Map && member.Flattened)
        {
            foreach (var (key, value) in InputValues.Map(ctx, node, path))
            {
                if (value is null) continue;
                Open(name, member.XmlNamespace);
                WriteEntry(shape, key, value, SerializationContext.Key(path, key));
                Close(name);
            }
            return;
        }
        WriteElement(name, member, node, path);
    }

    private void WriteElement(string name, Member member, JsonNode node, string path, XmlNamespace? ns = null)
    {
        ns ??= member.XmlNamespace;
        var shape = member.Shape;
        switch (shape.Type)
        {
            case ShapeType.Structure:
                WriteStructure(name, ns, ctx.BindStructure(shape, InputValues.Structure(ctx, node, path), path));
                break;
            case ShapeType.List:
                var list = InputValues.List(ctx, node, path);
                var item = shape.ListMember!;
                var itemName = item.LocationName ?? "member";
                Open(name, ns);
                for (var i = 0; i < list.Count; i++)
                {
                    if (list[i] is { } element) WriteElement(itemName, item, element, SerializationContext.Index(path, i));
                }
                Close(name);
                break;
            case ShapeType.Map:
                Open(name, ns);
                foreach (var (key, value) in InputValues.Map(ctx, node, path))
                {
                    if (value is null) continue;
                    _xml.Append("<entry>");
                    WriteEntry(shape, key, value, SerializationContext.Key(path, key));
                    _xml.Append("</entry>");
                }
                Close(name);
                break;
            default:
                var text = ScalarText.Format(ctx, member, node, path, ScalarText.Iso8601);
                Open(name, ns);
                Escape(text, attribute: false);
                Close(name);
                break;
        }
    }

    private void WriteEntry(Shape map, string key, JsonNode value, string path)
    {
        var keyName = map.MapKey!.LocationName ?? "key";
        Open(keyName, map.MapKey.XmlNamespace);
        Escape(key, attribute: false);
        Close(keyName);
        WriteElement(map.MapValue!.LocationName ?? "value", map.MapValue, value, path);
    }

    private void Open(string name, XmlNamespace? ns)
    {
        _xml.Append('<').Append(name);
        AppendNamespace(ns);
        _xml.Append('>');
    }

    private void Close(string name) => _xml.Append("</").Append(name).Append('>');

    private void AppendNamespace(XmlNamespace? ns)
    {
        if (ns is null || ns.Uri.Length == 0) return;
        _xml.Append(ns.Prefix is { Length: > 0 } prefix ? $" xmlns:{prefix}=\"" : " xmlns=\"");
        Escape(ns.Uri, attribute: true);
        _xml.Append('"');
    }

    private void Escape(string text, bool attribute)
    {
        foreach (var c in text)
        {
            switch (c)
            {
                case '&': _xml.Append("&amp;"); break;
                case '<': _xml.Append("&lt;"); break;
                case '>': _xml.Append("&gt;"); break;
                case '"' when attribute: _xml.Append("&quot;"); break;
                case '\r': _xml.Append("&#xD;"); break;
                case '\n' when attribute: _xml.Append("&#xA;"); break;
                case '\t' when attribute: _xml.Append("&#x9;"); break;
                default: _xml.Append(c); break;
            }
        }
    }
}
