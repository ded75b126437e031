using System.Text;
using System.Text.Json;
using System.Xml;
using CloudInventory.Aws.Models;
using CloudInventory.Aws.Protocols.Reading;

namespace CloudInventory.Aws.Protocols;

/// <summary>
/// Reads AWS responses in all five wire protocols (ec2, query, json 1.0/1.1, rest-json,
/// rest-xml), driven by the operation's model. Outputs stream value by value into an
/// <see cref="IShapeVisitor"/> straight from a forward-only <see cref="XmlReader"/> or
/// <see cref="Utf8JsonReader"/>, without building an object tree of the page. Any response that
/// cannot be read (malformed, truncated, an HTML page from a proxy, an empty body where one is
/// required) raises an <see cref="AwsProtocolException"/> naming the service, operation and status.
/// </summary>
public static class AwsProtocolReader
{
    /// <summary>
    /// True when the response is an error: a status of 300 or above (or below 200), or a 2xx whose
    /// body is an S3-style <c>&lt;Error&gt;</c> document.
    /// </summary>
    public static bool IsError(AwsHttpResponse response)
    {
        ArgumentNullException.ThrowIfNull(response);
        return ErrorReader.IsError(response);
    }

    /// <summary>
    /// Streams a successful response's output into <paramref name="visitor"/>: one top-level
    /// structure of the output shape, with its header- and status-bound members first, then the
    /// body's members in document order (unknown elements and keys skipped). Nothing is announced
    /// when the operation has no output. Safe to call from many threads at once; per-shape lookup
    /// tables are built on first use and cached.
    /// </summary>
    /// <exception cref="AwsProtocolException">The response cannot be read as the operation's output.</exception>
    public static void ReadOutput(Operation operation, AwsHttpResponse response, IShapeVisitor visitor)
    {
        ArgumentNullException.ThrowIfNull(operation);
        ArgumentNullException.ThrowIfNull(response);
        ArgumentNullException.ThrowIfNull(visitor);
        if (operation.Output is not { } output) return;
        try
        {
            switch (operation.Service.Protocol)
            {
                case AwsProtocol.Ec2 or AwsProtocol.Query:
                    ReadQueryOutput(operation, response, output, visitor);
                    break;
                case AwsProtocol.RestXml:
                    ReadRestXmlOutput(operation, response, output.Shape, visitor);
                    break;
                case AwsProtocol.Json:
                    ReadJsonOutput(operation, response, output.Shape, visitor);
                    break;
                case AwsProtocol.RestJson:
                    ReadRestJsonOutput(operation, response, output.Shape, visitor);
                    break;
            }
        }
        catch (Exception ex) when (ResponseProblem.Translate(operation, response, ex) is { } problem)
        {
            throw problem;
        }
    }

    /// <summary>Reads an error response's code, message and request id.</summary>
    /// <exception cref="AwsProtocolException">The body is not an error document of the protocol (e.g. an HTML page).</exception>
    public static AwsServiceError ReadError(Operation operation, AwsHttpResponse response)
    {
        ArgumentNullException.ThrowIfNull(operation);
        ArgumentNullException.ThrowIfNull(response);
        try
        {
            return ErrorReader.Read(operation, response);
        }
        catch (Exception ex) when (ResponseProblem.Translate(operation, response, ex) is { } problem)
        {
            throw problem;
        }
    }

    /// <summary>
    /// Streams the members of a modelled error (an exception shape such as <c>ComplexError</c>)
    /// into <paramref name="visitor"/>, as one structure of <paramref name="errorShape"/> with its
    /// header-bound members and the fields of the error document.
    /// </summary>
    /// <exception cref="AwsProtocolException">The body cannot be read.</exception>
    public static void ReadErrorDetails(Operation operation, AwsHttpResponse response, Shape errorShape, IShapeVisitor visitor)
    {
        ArgumentNullException.ThrowIfNull(operation);
        ArgumentNullException.ThrowIfNull(response);
        ArgumentNullException.ThrowIfNull(errorShape);
        ArgumentNullException.ThrowIfNull(visitor);
        var blank = ResponseProblem.IsBlank(response.Body.Span);
        try
        {
            visitor.StartStructure(errorShape);
            HttpBindingReader.Read(operation, response, errorShape, visitor);
            if (!blank)
            {
                if (operation.Service.Protocol is AwsProtocol.Json or AwsProtocol.RestJson)
                {
                    var json = new JsonBodyReader(operation, response, visitor);
                    var reader = JsonBodyReader.Open(response.Body);
                    json.MoveToFirstToken(ref reader);
                    json.ReadStructureContent(ref reader, errorShape);
                    JsonBodyReader.ReadToEnd(ref reader);
                }
                else
                {
                    using var xml = new XmlBodyReader(operation, response, visitor);
                    if (xml.MoveToDescendant("Error")) xml.ReadStructureContent(errorShape);
                    xml.ReadToEnd();
                }
            }
            visitor.EndStructure(errorShape);
        }
        catch (Exception ex) when (ResponseProblem.Translate(operation, response, ex) is { } problem)
        {
            throw problem;
        }
    }

    private static void ReadQueryOutput(Operation operation, AwsHttpResponse response, Member output, IShapeVisitor visitor)
    {
        var shape = output.Shape;
        if (ResponseProblem.IsBlank(response.Body.Span))
        {
            // Only an output without members may come back without the <OperationResponse> document.
            if (StructureBindings.For(shape).JsonMembers.Length > 0) ResponseProblem.Throw(operation, response, "body is empty; expected XML");
            visitor.StartStructure(shape);
            visitor.EndStructure(shape);
            return;
        }
        if (ResponseProblem.IsHtml(response.Body.Span))
        {
            ResponseProblem.Throw(operation, response, "body is an HTML page, not XML (a proxy or gateway answered instead of the service?)");
        }
        using var xml = new XmlBodyReader(operation, response, visitor);
        xml.MoveToRoot();
        visitor.StartStructure(shape);
        // The query protocol wraps the output in <OperationResult> (the resultWrapper trait, which
        // the models omit now and then); ec2 has no wrapper.
        if (operation.Service.Protocol == AwsProtocol.Query)
        {
            if (xml.MoveToChild(output.ResultWrapper ?? operation.Name + "Result")) xml.ReadStructureContent(shape);
        }
        else
        {
            xml.ReadStructureContent(shape);
        }
        xml.ReadToEnd();
        visitor.EndStructure(shape);
    }

    private static void ReadRestXmlOutput(Operation operation, AwsHttpResponse response, Shape shape, IShapeVisitor visitor)
    {
        visitor.StartStructure(shape);
        HttpBindingReader.Read(operation, response, shape, visitor);
        var blank = ResponseProblem.IsBlank(response.Body.Span);
        if (shape.Payload is { } payloadName && shape.FindMember(payloadName) is { } payload)
        {
            if (!ReadRawPayload(operation, response, payload, visitor) && !blank)
            {
                using var xml = OpenXml(operation, response, visitor);
                visitor.Member(payload);
                xml.ReadStructure(payload.Shape);
                xml.ReadToEnd();
            }
        }
        else if (!blank && StructureBindings.For(shape).JsonMembers.Length > 0)
        {
            using var xml = OpenXml(operation, response, visitor);
            if (!xml.TryReadRootAsScalarMember(shape)) xml.ReadStructureContent(shape);
            xml.ReadToEnd();
        }
        visitor.EndStructure(shape);
    }

    private static XmlBodyReader OpenXml(Operation operation, AwsHttpResponse response, IShapeVisitor visitor)
    {
        if (ResponseProblem.IsHtml(response.Body.Span))
        {
            ResponseProblem.Throw(operation, response, "body is an HTML page, not XML (a proxy or gateway answered instead of the service?)");
        }
        var xml = new XmlBodyReader(operation, response, visitor);
        xml.MoveToRoot();
        return xml;
    }

    private static void ReadJsonOutput(Operation operation, AwsHttpResponse response, Shape shape, IShapeVisitor visitor)
    {
        visitor.StartStructure(shape);
        // An empty body is an empty output.
        if (!ResponseProblem.IsBlank(response.Body.Span))
        {
            var json = new JsonBodyReader(operation, response, visitor);
            var reader = JsonBodyReader.Open(response.Body);
            json.MoveToFirstToken(ref reader);
            json.ReadStructureContent(ref reader, shape);
            JsonBodyReader.ReadToEnd(ref reader);
        }
        visitor.EndStructure(shape);
    }

    private static void ReadRestJsonOutput(Operation operation, AwsHttpResponse response, Shape shape, IShapeVisitor visitor)
    {
        visitor.StartStructure(shape);
        HttpBindingReader.Read(operation, response, shape, visitor);
        var blank = ResponseProblem.IsBlank(response.Body.Span);
        if (shape.Payload is { } payloadName && shape.FindMember(payloadName) is { } payload)
        {
            if (!ReadRawPayload(operation, response, payload, visitor) && !blank)
            {
                var json = new JsonBodyReader(operation, response, visitor);
                var reader = JsonBodyReader.Open(response.Body);
                json.MoveToFirstToken(ref reader);
                json.ReadMemberValue(ref reader, payload);
                JsonBodyReader.ReadToEnd(ref reader);
            }
        }
        else if (!blank && StructureBindings.For(shape).JsonMembers.Length > 0)
        {
            var json = new JsonBodyReader(operation, response, visitor);
            var reader = JsonBodyReader.Open(response.Body);
            json.MoveToFirstToken(ref reader);
            json.ReadStructureContent(ref reader, shape);
            JsonBodyReader.ReadToEnd(ref reader);
        }
        visitor.EndStructure(shape);
    }

    /// <summary>A blob payload is the raw body, a string payload its UTF-8 text; true when the payload was one of those.</summary>
    private static bool ReadRawPayload(Operation operation, AwsHttpResponse response, Member payload, IShapeVisitor visitor)
    {
        if (payload.Shape.EventStream)
        {
            ResponseProblem.Throw(operation, response, $"carries an event stream (member '{payload.Name}'), which a read-only inventory client does not read");
        }
        switch (payload.Shape.Type)
        {
            case ShapeType.Blob:
                if (!response.Body.IsEmpty)
                {
                    visitor.Member(payload);
                    visitor.Blob(response.Body.ToArray());
                }
                return true;
            case ShapeType.String when !payload.Shape.Document:
                if (!response.Body.IsEmpty)
                {
                    visitor.Member(payload);
                    visitor.String(Encoding.UTF8.GetString(response.Body.Span));
                }
                return true;
            default:
                return false;
        }
    }
}
