using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Apache.Arrow;
using Apache.Arrow.Types;

namespace CloudInventory.Storage.Internal;

/// <summary>Variable-width values (utf8 or binary): validity, int32 offsets and the value bytes.</summary>
internal abstract class VariableWidthColumnBuilder : ColumnBuilder
{
    private readonly BitBuffer _validity = new();
    private readonly ByteBuffer _offsets = new(64);

    protected VariableWidthColumnBuilder(IArrowType arrowType, RejectionCounter rejections) : base(arrowType, rejections)
    {
        _offsets.Append(0);
    }

    /// <summary>The value bytes; subclasses write one value into it per successful append.</summary>
    protected ByteBuffer Data { get; } = new(256);

    public override int Length => _validity.Length;

    public override long ByteSize => Data.Length + _offsets.Length + _validity.ByteLength;

    public override bool TryAppend(JsonNode node)
    {
        var start = Data.Length;
        if (!TryWriteValue(node))
        {
            Data.Truncate(start);
            return false;
        }
        CompleteValue();
        return true;
    }

    /// <summary>Ends a value whose bytes were just written to <see cref="Data"/>.</summary>
    protected void CompleteValue()
    {
        _offsets.Append(Data.Length);
        _validity.Append(true);
    }

    public override void Truncate(int length)
    {
        Data.Truncate(_offsets.Read<int>(length * sizeof(int)));
        _offsets.Truncate((length + 1) * sizeof(int));
        _validity.Truncate(length);
    }

    public override void AppendNull()
    {
        _offsets.Append(Data.Length);
        _validity.Append(false);
    }

    public override ArrayData Build(bool share)
    {
        var data = new ArrayData(ArrowType, _validity.Length, _validity.UnsetCount, 0,
            [_validity.ToValidityBuffer(share), _offsets.ToArrowBuffer(share), Data.ToArrowBuffer(share)]);
        _validity.Clear();
        _offsets.Clear();
        _offsets.Append(0);
        Data.Clear();
        return data;
    }

    /// <summary>Writes the value's bytes to <see cref="Data"/>; false when the value does not fit.</summary>
    protected abstract bool TryWriteValue(JsonNode node);

    protected void WriteUtf8(string text)
    {
        var span = Data.GetSpan(Encoding.UTF8.GetMaxByteCount(text.Length));
        Data.Advance(Encoding.UTF8.GetBytes(text, span));
    }
}

/// <summary>Text.</summary>
internal sealed class StringColumnBuilder(IArrowType arrowType, RejectionCounter rejections) : VariableWidthColumnBuilder(arrowType, rejections)
{
    public override bool TryAppendKey(string key)
    {
        WriteUtf8(key);
        CompleteValue();
        return true;
    }

    protected override bool TryAppendString(string value)
    {
        WriteUtf8(value);
        CompleteValue();
        return true;
    }

    protected override bool TryWriteValue(JsonNode node)
    {
        if (!JsonScalars.TryGetString(node, out var text) || text is null) return false;
        WriteUtf8(text);
        return true;
    }
}

/// <summary>Binary data.</summary>
internal sealed class BinaryColumnBuilder(IArrowType arrowType, RejectionCounter rejections) : VariableWidthColumnBuilder(arrowType, rejections)
{
    protected override bool TryAppendBytes(byte[] value)
    {
        Data.Append(value);
        CompleteValue();
        return true;
    }

    protected override bool TryWriteValue(JsonNode node)
    {
        if (!JsonScalars.TryGetBytes(node, out var bytes)) return false;
        Data.Append(bytes.Span);
        return true;
    }
}

/// <summary>Any JSON node, stored as its JSON text (non-ASCII characters kept as they are).</summary>
internal sealed class JsonColumnBuilder : VariableWidthColumnBuilder
{
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, SkipValidation = true };
    private readonly Utf8JsonWriter _writer;

    public JsonColumnBuilder(IArrowType arrowType, RejectionCounter rejections) : base(arrowType, rejections)
    {
        _writer = new Utf8JsonWriter(Data, WriterOptions);
    }

    protected override bool TryWriteValue(JsonNode node)
    {
        _writer.Reset(Data);
        node.WriteTo(_writer);
        _writer.Flush();
        return true;
    }

    /// <summary>A writer for one value's JSON text, written event by event; <see cref="CompleteJson"/> ends the value.</summary>
    public Utf8JsonWriter BeginJson()
    {
        _writer.Reset(Data);
        return _writer;
    }

    /// <summary>Ends the value whose JSON text <see cref="BeginJson"/>'s writer wrote.</summary>
    public void CompleteJson()
    {
        _writer.Flush();
        CompleteValue();
    }
}
