using System.Net;
using System.Text.Json;
using System.Xml;
using CloudInventory.Aws.Models;

namespace CloudInventory.Aws.Protocols.Reading;

/// <summary>
/// Reads the code, message and request id of an error response in each protocol's format:
/// query <c>&lt;ErrorResponse&gt;&lt;Error&gt;</c>, ec2 <c>&lt;Response&gt;&lt;Errors&gt;&lt;Error&gt;</c>,
/// rest-xml/S3 <c>&lt;Error&gt;</c>, JSON <c>__type</c>/<c>code</c> with namespace and URI suffix
/// stripped, the <c>x-amzn-ErrorType</c> header, and awsQueryCompatible's <c>x-amzn-query-error</c>.
/// </summary>
internal static class ErrorReader
{
    private static readonly XmlReaderSettings s_settings = new()
    {
        DtdProcessing = DtdProcessing.Prohibit,
        XmlResolver = null,
        IgnoreComments = true,
        IgnoreProcessingInstructions = true,
    };

    public static AwsServiceError Read(Operation operation, AwsHttpResponse response)
    {
        var requestId = Header(response, "x-amzn-RequestId") ?? Header(response, "x-amz-request-id") ?? Header(response, "x-amzn-request-id");
        string? code = null;
        string? message = null;
        var body = response.Body.Span;
        var blank = ResponseProblem.IsBlank(body);
        var protocol = operation.Service.Protocol;
        if (!blank && ResponseProblem.IsHtml(body))
        {
            ResponseProblem.Throw(operation, response, "body is an HTML page, not an AWS error (a proxy or gateway answered instead of the service?)");
        }
        if (protocol is AwsProtocol.Json or AwsProtocol.RestJson)
        {
            if (operation.Service.AwsQueryCompatible && Header(response, "x-amzn-query-error") is { Length: > 0 } queryError)
            {
                code = queryError.Split(';', 2)[0];
            }
            code ??= Header(response, "x-amzn-ErrorType");
            if (!blank)
            {
                ScanJson(operation, response, ref code, ref message);
            }
        }
        else if (!blank)
        {
            ScanXml(response, ref code, ref message, ref requestId);
        }
        if (string.IsNullOrWhiteSpace(code))
        {
            if (!blank) ResponseProblem.Throw(operation, response, "is an error whose body carries no error code");
            var status = (HttpStatusCode)response.StatusCode;
            code = Enum.IsDefined(status) ? status.ToString() : response.StatusCode.ToString(System.Globalization.CultureInfo.InvariantCulture);
            message ??= $"HTTP {response.StatusCode} with an empty body";
        }
        return new AwsServiceError(response.StatusCode, SanitizeCode(code), message ?? "", requestId);
    }

    /// <summary>Strips a namespace (<c>aws.protocoltests#</c>) and a URI suffix (<c>:http://…</c>) from an error code.</summary>
    public static string SanitizeCode(string code)
    {
        var span = code.AsSpan().Trim();
        var hash = span.IndexOf('#');
        if (hash >= 0) span = span[(hash + 1)..];
        var colon = span.IndexOf(':');
        if (colon >= 0) span = span[..colon];
        return span.Trim().ToString();
    }

    /// <summary>True for status 300 and above, and for a 2xx whose body is an S3-style <c>&lt;Error&gt;</c> document.</summary>
    public static bool IsError(AwsHttpResponse response)
    {
        if (response.StatusCode >= 300 || response.StatusCode < 200) return true;
        var body = ResponseProblem.SkipWhitespace(response.Body.Span);
        if (body.StartsWith("<?xml"u8))
        {
            var end = body.IndexOf("?>"u8);
            if (end < 0) return false;
            body = ResponseProblem.SkipWhitespace(body[(end + 2)..]);
        }
        return body.StartsWith("<Error>"u8) || body.StartsWith("<Error "u8);
    }

    private static string? Header(AwsHttpResponse response, string name) =>
        response.Headers.TryGetValue(name, out var value) && value.Length > 0 ? value.Trim() : null;

    private static void ScanJson(Operation operation, AwsHttpResponse response, ref string? code, ref string? message)
    {
        var reader = new Utf8JsonReader(response.Body.Span, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip });
        if (!reader.Read()) return;
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            ResponseProblem.Throw(operation, response, $"is an error whose body is a JSON {reader.TokenType.ToString().ToLowerInvariant()}, not an object");
        }
        string? type = null;
        string? bodyCode = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var key = reader.GetString();
            reader.Read();
            if (reader.TokenType != JsonTokenType.String)
            {
                reader.Skip();
                continue;
            }
            switch (key)
            {
                case "__type": type = reader.GetString(); break;
                case "code" or "Code": bodyCode ??= reader.GetString(); break;
                case "message" or "Message" or "errorMessage": message ??= reader.GetString(); break;
            }
        }
        while (reader.Read())
        {
        }
        code ??= type ?? bodyCode;
    }

    private static void ScanXml(AwsHttpResponse response, ref string? code, ref string? message, ref string? requestId)
    {
        using var reader = XmlReader.Create(XmlBodyReader.OpenStream(response.Body), s_settings);
        var parents = new List<string>();
        while (reader.Read())
        {
            switch (reader.NodeType)
            {
                case XmlNodeType.Element:
                    var name = reader.LocalName;
                    var parent = parents.Count > 0 ? parents[^1] : "";
                    if (reader.IsEmptyElement) continue;
                    if (name == "Code" && parent == "Error" && code is null) code = reader.ReadElementContentAsString();
                    else if (name is "Message" or "message" && parent == "Error" && message is null) message = reader.ReadElementContentAsString();
                    else if (name is "RequestId" or "RequestID" or "requestId" && requestId is null) requestId = reader.ReadElementContentAsString();
                    else
                    {
                        parents.Add(name);
                        continue;
                    }
                    // ReadElementContentAsString moved past the end tag: look at the node it stopped on.
                    if (reader.NodeType == XmlNodeType.Element) goto case XmlNodeType.Element;
                    if (reader.NodeType == XmlNodeType.EndElement && parents.Count > 0) parents.RemoveAt(parents.Count - 1);
                    break;
                case XmlNodeType.EndElement:
                    if (parents.Count > 0) parents.RemoveAt(parents.Count - 1);
                    break;
            }
        }
        if (code is not null) code = code.Trim();
    }
}
