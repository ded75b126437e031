using System.Text.Json;
using CloudInventory.Aws.Models;

namespace CloudInventory.Aws.Protocols;

/// <summary>
/// Receives an operation's output as a protocol reader walks the response, value by value, so
/// a page can stream straight into row builders without an object tree. A reader emits one
/// top-level structure (the output shape), including members bound to headers and the status
/// code. Absent members are not announced. A list or map member may be announced more than once in
/// one structure (XML flattened lists or maps whose items are not adjacent); visitors append.
/// </summary>
public interface IShapeVisitor
{
    /// <summary>A structure begins; members follow, each announced by <see cref="Member"/>.</summary>
    void StartStructure(Shape shape);

    /// <summary>The next value belongs to this member of the current structure.</summary>
    void Member(Member member);

    /// <summary>The current structure ends.</summary>
    void EndStructure(Shape shape);

    /// <summary>A list begins; its items follow.</summary>
    void StartList(Shape shape);

    /// <summary>The current list ends.</summary>
    void EndList(Shape shape);

    /// <summary>A map begins; pairs of <see cref="MapKey"/> and a value follow.</summary>
    void StartMap(Shape shape);

    /// <summary>The next value belongs to this key of the current map.</summary>
    void MapKey(string key);

    /// <summary>The current map ends.</summary>
    void EndMap(Shape shape);

    /// <summary>A string value.</summary>
    void String(string value);

    /// <summary>An integer or long value.</summary>
    void Integer(long value);

    /// <summary>A float or double value (NaN and infinities included).</summary>
    void Double(double value);

    /// <summary>A boolean value.</summary>
    void Boolean(bool value);

    /// <summary>A timestamp value, in UTC.</summary>
    void Timestamp(DateTimeOffset value);

    /// <summary>A blob value, decoded.</summary>
    void Blob(byte[] value);

    /// <summary>An untyped JSON document value.</summary>
    void Document(JsonElement value);

    /// <summary>An explicit null (an entry of a sparse list or map).</summary>
    void Null();

    /// <summary>
    /// A scalar whose text is not a value of its modelled type (a boolean that reads <c>None</c>, a number
    /// that reads <c>N/A</c>, a date that does not parse, a blob that is not base64). Reading is tolerant:
    /// the value stands as a null in its place and the page goes on; visitors record it as a warning.
    /// </summary>
    /// <param name="shape">The scalar's modelled shape.</param>
    /// <param name="text">The offending text, cut to <see cref="MalformedValue.MaxTextLength"/> characters.</param>
    void Malformed(Shape shape, string text);
}
