using System.Runtime.InteropServices;
using System.Xml;
using System.Xml.Linq;
using CloudInventory.Aws.Models;

namespace CloudInventory.Aws.Protocols.Reading;

/// <summary>
/// Walks an XML body (ec2, query, rest-xml) forward-only with <see cref="XmlReader"/>, driven by
/// the shape, and streams values into a visitor. Element names are matched by local name
/// (namespaces and prefixes are ignored, as the AWS SDKs do); scalar text is read into a reused
/// buffer so numbers, booleans and timestamps are parsed without allocating a string.
/// </summary>
internal sealed class XmlBodyReader : IDisposable
{
    private static readonly XmlReaderSettings s_settings = new()
    {
        DtdProcessing = DtdProcessing.Prohibit,
        XmlResolver = null,
        IgnoreComments = true,
        IgnoreProcessingInstructions = true,
        IgnoreWhitespace = false,
        CloseInput = true,
    };

    private const int MaxDepth = 256;

    private readonly Operation _operation;
    private readonly AwsHttpResponse _response;
    private readonly IShapeVisitor _visitor;
    private XmlReader _reader;
    private char[] _buffer = new char[256];
    private int _length;

    public XmlBodyReader(Operation operation, AwsHttpResponse response, IShapeVisitor visitor)
    {
        _operation = operation;
        _response = response;
        _visitor = visitor;
        _reader = XmlReader.Create(OpenStream(response.Body), s_settings);
    }

    public void Dispose() => _reader.Dispose();

    internal static Stream OpenStream(ReadOnlyMemory<byte> body) =>
        MemoryMarshal.TryGetArray(body, out var segment)
            ? new MemoryStream(segment.Array!, segment.Offset, segment.Count, writable: false)
            : new MemoryStream(body.ToArray(), writable: false);

    /// <summary>Moves to the root element; throws when the document has none or is an HTML page.</summary>
    public void MoveToRoot()
    {
        if (ResponseProblem.SkipWhitespace(_response.Body.Span) is [(byte)'{' or (byte)'[', ..])
        {
            ResponseProblem.Throw(_operation, _response, "body is JSON, not XML (wrong endpoint or protocol?)");
        }
        while (_reader.Read())
        {
            if (_reader.NodeType != XmlNodeType.Element) continue;
            if (_reader.LocalName.Equals("html", StringComparison.OrdinalIgnoreCase))
            {
                ResponseProblem.Throw(_operation, _response, "body is an HTML page, not XML (a proxy or gateway answered instead of the service?)");
            }
            return;
        }
        ResponseProblem.Throw(_operation, _response, "body has no XML element");
    }

    /// <summary>From an element, moves to its first child element named <paramref name="localName"/>; false (at the parent's end) when there is none.</summary>
    public bool MoveToChild(string localName)
    {
        if (_reader.IsEmptyElement) return false;
        _reader.Read();
        while (true)
        {
            switch (_reader.NodeType)
            {
                case XmlNodeType.Element when _reader.LocalName == localName:
                    return true;
                case XmlNodeType.Element:
                    _reader.Skip();
                    break;
                case XmlNodeType.EndElement or XmlNodeType.None:
                    return false;
                default:
                    _reader.Read();
                    break;
            }
        }
    }

    /// <summary>Moves to the first element named <paramref name="localName"/> at any depth.</summary>
    public bool MoveToDescendant(string localName)
    {
        while (_reader.Read())
        {
            if (_reader.NodeType == XmlNodeType.Element && _reader.LocalName == localName) return true;
        }
        return false;
    }

    /// <summary>Reads the rest of the document, so a truncated or malformed tail is detected.</summary>
    public void ReadToEnd()
    {
        while (_reader.Read())
        {
        }
    }

    /// <summary>On a structure's element: announces its attribute and child members (not the structure itself).</summary>
    public void ReadStructureContent(Shape shape)
    {
        CheckDepth();
        var bindings = StructureBindings.For(shape);
        if (bindings.XmlAttributes.Length > 0 && _reader.HasAttributes) ReadAttributes(bindings.XmlAttributes);
        if (_reader.IsEmptyElement) return;
        XmlMemberBinding? open = null;
        var seen = default(SeenMembers);
        _reader.Read();
        while (true)
        {
            switch (_reader.NodeType)
            {
                case XmlNodeType.Element:
                    var binding = bindings.FindElement(_reader.LocalName);
                    if (binding is null)
                    {
                        Close(ref open);
                        _reader.Skip();
                        continue;
                    }
                    var member = binding.Member;
                    switch (binding.Kind)
                    {
                        case XmlMemberKind.FlattenedList:
                            if (!ReferenceEquals(open, binding))
                            {
                                Close(ref open);
                                _visitor.Member(member);
                                _visitor.StartList(member.Shape);
                                open = binding;
                            }
                            ReadItem(member.Shape.ListMember!, member.Name, binding.Strings);
                            break;
                        case XmlMemberKind.FlattenedMap:
                            if (!ReferenceEquals(open, binding))
                            {
                                Close(ref open);
                                _visitor.Member(member);
                                _visitor.StartMap(member.Shape);
                                open = binding;
                            }
                            ReadMapEntry(member.Shape, member.Name);
                            break;
                        default:
                            Close(ref open);
                            if (!seen.TryMark(binding.Index))
                            {
                                // A repeated element: the first one stands.
                                _reader.Skip();
                                continue;
                            }
                            ReadMemberValue(member, binding.Strings);
                            break;
                    }
                    _reader.Read();
                    continue;
                case XmlNodeType.EndElement:
                    Close(ref open);
                    return;
                case XmlNodeType.None:
                    ResponseProblem.Throw(_operation, _response, "body is truncated XML (it ends inside an element)");
                    return;
                default:
                    _reader.Read();
                    continue;
            }
        }
    }

    /// <summary>
    /// On the root element: when it is named after a scalar member of <paramref name="shape"/>, reads
    /// the root's text as that member (S3 GetBucketLocation answers
    /// <c>&lt;LocationConstraint&gt;eu-west-1&lt;/LocationConstraint&gt;</c>, with no wrapper) and
    /// returns true; an empty root leaves the member absent.
    /// </summary>
    public bool TryReadRootAsScalarMember(Shape shape)
    {
        var binding = StructureBindings.For(shape).FindElement(_reader.LocalName);
        if (binding is not { Kind: XmlMemberKind.Element } || binding.Member.Shape.Type is ShapeType.Structure or ShapeType.List or ShapeType.Map) return false;
        var text = ReadText();
        if (text.IsEmpty) return true;
        _visitor.Member(binding.Member);
        EmitScalar(binding.Member.Shape, binding.Member.Name, text, binding.Strings);
        return true;
    }

    /// <summary>On a structure's element: announces the structure with its members.</summary>
    public void ReadStructure(Shape shape)
    {
        _visitor.StartStructure(shape);
        ReadStructureContent(shape);
        _visitor.EndStructure(shape);
    }

    /// <summary>Recursive shapes follow the document: refuse absurd nesting rather than overflow the stack.</summary>
    private void CheckDepth()
    {
        if (_reader.Depth > MaxDepth) ResponseProblem.Throw(_operation, _response, $"body nests values deeper than {MaxDepth} levels");
    }

    private void Close(ref XmlMemberBinding? open)
    {
        if (open is null) return;
        if (open.Kind == XmlMemberKind.FlattenedList) _visitor.EndList(open.Member.Shape);
        else _visitor.EndMap(open.Member.Shape);
        open = null;
    }

    private void ReadAttributes(Member[] members)
    {
        while (_reader.MoveToNextAttribute())
        {
            if (_reader.Prefix == "xmlns" || (_reader.Prefix.Length == 0 && _reader.LocalName == "xmlns")) continue;
            foreach (var member in members)
            {
                var wire = member.WireName;
                var matches = wire.Contains(':', StringComparison.Ordinal) ? wire == _reader.Name : wire == _reader.LocalName;
                if (!matches) continue;
                var value = _reader.Value;
                if (value.Length == 0 && member.Shape.Type is not (ShapeType.String or ShapeType.Blob)) break;
                _visitor.Member(member);
                EmitScalar(member.Shape, member.Name, value);
                break;
            }
        }
        _reader.MoveToElement();
    }

    /// <summary>On a member's element: announces the member and its value (empty non-string scalars are absent).</summary>
    private void ReadMemberValue(Member member, RecentStrings? strings)
    {
        var shape = member.Shape;
        switch (shape.Type)
        {
            case ShapeType.Structure:
                _visitor.Member(member);
                ReadStructure(shape);
                return;
            case ShapeType.List:
                _visitor.Member(member);
                _visitor.StartList(shape);
                ReadListItems(shape, member.Name);
                _visitor.EndList(shape);
                return;
            case ShapeType.Map:
                _visitor.Member(member);
                _visitor.StartMap(shape);
                ReadMapEntries(shape, member.Name);
                _visitor.EndMap(shape);
                return;
            default:
                var text = ReadText();
                if (text.IsEmpty && shape.Type is not (ShapeType.String or ShapeType.Blob)) return;
                _visitor.Member(member);
                EmitScalar(shape, member.Name, text, strings);
                return;
        }
    }

    /// <summary>On a list item's or map value's element: emits its value (an empty non-string scalar is a null).</summary>
    private void ReadItem(Member item, string memberName, RecentStrings? strings = null)
    {
        var shape = item.Shape;
        switch (shape.Type)
        {
            case ShapeType.Structure:
                ReadStructure(shape);
                return;
            case ShapeType.List:
                _visitor.StartList(shape);
                ReadListItems(shape, memberName);
                _visitor.EndList(shape);
                return;
            case ShapeType.Map:
                _visitor.StartMap(shape);
                ReadMapEntries(shape, memberName);
                _visitor.EndMap(shape);
                return;
            default:
                var text = ReadText();
                if (text.IsEmpty && shape.Type is not (ShapeType.String or ShapeType.Blob)) _visitor.Null();
                else EmitScalar(shape, memberName, text, strings);
                return;
        }
    }

    private void ReadListItems(Shape list, string memberName)
    {
        CheckDepth();
        if (_reader.IsEmptyElement) return;
        var item = list.ListMember!;
        var items = RecentStrings.ForListItems(list);
        _reader.Read();
        while (true)
        {
            switch (_reader.NodeType)
            {
                case XmlNodeType.Element:
                    ReadItem(item, memberName, items);
                    _reader.Read();
                    break;
                case XmlNodeType.EndElement:
                    return;
                case XmlNodeType.None:
                    ResponseProblem.Throw(_operation, _response, "body is truncated XML (it ends inside a list)");
                    return;
                default:
                    _reader.Read();
                    break;
            }
        }
    }

    private void ReadMapEntries(Shape map, string memberName)
    {
        CheckDepth();
        if (_reader.IsEmptyElement) return;
        _reader.Read();
        while (true)
        {
            switch (_reader.NodeType)
            {
                case XmlNodeType.Element:
                    ReadMapEntry(map, memberName);
                    _reader.Read();
                    break;
                case XmlNodeType.EndElement:
                    return;
                case XmlNodeType.None:
                    ResponseProblem.Throw(_operation, _response, "body is truncated XML (it ends inside a map)");
                    return;
                default:
                    _reader.Read();
                    break;
            }
        }
    }

    /// <summary>On an entry element: emits the key, then the value. A value sent before its key is buffered.</summary>
    private void ReadMapEntry(Shape map, string memberName)
    {
        if (_reader.IsEmptyElement) return;
        var keyName = StructureBindings.LocalPart(map.MapKey!.LocationName ?? "key");
        var valueName = StructureBindings.LocalPart(map.MapValue!.LocationName ?? "value");
        string? key = null;
        XElement? earlyValue = null;
        var valueSeen = false;
        _reader.Read();
        while (_reader.NodeType != XmlNodeType.EndElement)
        {
            if (_reader.NodeType == XmlNodeType.None) ResponseProblem.Throw(_operation, _response, "body is truncated XML (it ends inside a map entry)");
            if (_reader.NodeType != XmlNodeType.Element)
            {
                _reader.Read();
                continue;
            }
            var name = _reader.LocalName;
            if (name == keyName && key is null)
            {
                var keyText = ReadText();
                key = RecentStrings.ForMapKeys(map) is { } keys ? keys.Get(keyText) : StringCache.Get(map.MapKey.Shape, keyText);
                _reader.Read();
                if (earlyValue is not null)
                {
                    _visitor.MapKey(key);
                    Replay(earlyValue, map.MapValue, memberName);
                    earlyValue = null;
                    valueSeen = true;
                }
            }
            else if (name == valueName && !valueSeen && key is not null)
            {
                _visitor.MapKey(key);
                ReadItem(map.MapValue, memberName);
                valueSeen = true;
                _reader.Read();
            }
            else if (name == valueName && !valueSeen && earlyValue is null)
            {
                earlyValue = (XElement)XNode.ReadFrom(_reader);
            }
            else
            {
                _reader.Skip();
            }
        }
        if (key is not null && !valueSeen)
        {
            _visitor.MapKey(key);
            _visitor.Null();
        }
    }

    private void Replay(XElement element, Member item, string memberName)
    {
        var saved = _reader;
        using var sub = element.CreateReader();
        _reader = sub;
        try
        {
            sub.MoveToContent();
            ReadItem(item, memberName);
        }
        finally
        {
            _reader = saved;
        }
    }

    /// <summary>On an element: reads its text content into the buffer and leaves the reader on its end (or on the element itself when empty).</summary>
    private ReadOnlySpan<char> ReadText()
    {
        _length = 0;
        if (_reader.IsEmptyElement) return [];
        _reader.Read();
        while (true)
        {
            switch (_reader.NodeType)
            {
                case XmlNodeType.Text or XmlNodeType.CDATA or XmlNodeType.Whitespace or XmlNodeType.SignificantWhitespace:
                    AppendValue();
                    _reader.Read();
                    break;
                case XmlNodeType.EndElement:
                    return _buffer.AsSpan(0, _length);
                case XmlNodeType.Element:
                    _reader.Skip();
                    break;
                case XmlNodeType.None:
                    ResponseProblem.Throw(_operation, _response, "body is truncated XML (it ends inside a value)");
                    return [];
                default:
                    _reader.Read();
                    break;
            }
        }
    }

    private void AppendValue()
    {
        if (_reader.CanReadValueChunk)
        {
            while (true)
            {
                if (_length == _buffer.Length) Array.Resize(ref _buffer, _buffer.Length * 2);
                var n = _reader.ReadValueChunk(_buffer, _length, _buffer.Length - _length);
                if (n == 0) return;
                _length += n;
            }
        }
        var value = _reader.Value;
        if (_length + value.Length > _buffer.Length) Array.Resize(ref _buffer, Math.Max(_buffer.Length * 2, _length + value.Length));
        value.CopyTo(0, _buffer, _length, value.Length);
        _length += value.Length;
    }

    private void EmitScalar(Shape shape, string memberName, ReadOnlySpan<char> text, RecentStrings? strings = null)
    {
        switch (shape.Type)
        {
            case ShapeType.String:
                _visitor.String(strings is not null ? strings.Get(text) : StringCache.Get(shape, text));
                return;
            case ShapeType.Integer or ShapeType.Long:
                if (ScalarText.TryParseInteger(text, out var l)) _visitor.Integer(l);
                else _visitor.Malformed(shape, MalformedValue.Cut(text));
                return;
            case ShapeType.Float or ShapeType.Double:
                if (ScalarText.TryParseDouble(text, out var d)) _visitor.Double(d);
                else _visitor.Malformed(shape, MalformedValue.Cut(text));
                return;
            case ShapeType.Boolean:
                if (ScalarText.TryParseBoolean(text, out var b)) _visitor.Boolean(b);
                else _visitor.Malformed(shape, MalformedValue.Cut(text));
                return;
            case ShapeType.Timestamp:
                if (TimestampText.TryParse(text, out var t)) _visitor.Timestamp(t);
                else _visitor.Malformed(shape, MalformedValue.Cut(text));
                return;
            case ShapeType.Blob:
                if (Base64Text.TryDecode(text, out var bytes)) _visitor.Blob(bytes);
                else _visitor.Malformed(shape, MalformedValue.Cut(text));
                return;
            default:
                ResponseProblem.Throw(_operation, _response, $"has text where member '{memberName}' expects a {shape.Type.ToString().ToLowerInvariant()}");
                return;
        }
    }
}
