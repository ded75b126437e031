using System.Net;
using Amazon.Runtime;
using Amazon.Runtime.EventStreams;
using Amazon.Runtime.Internal.Transform;

namespace CloudInventory.Benchmarks;

/// <summary>
/// Runs the AWS SDK for .NET's generated response unmarshallers on a body held in memory, the way
/// the SDK's pipeline does after the HTTP call: a stream over the bytes (not copied) in an
/// XML or JSON unmarshaller context.
/// </summary>
internal static class SdkUnmarshalling
{
    private static readonly OkResponse s_response = new();

    /// <summary>Unmarshalls an XML (ec2, query, rest-xml) response body.</summary>
    public static AmazonWebServiceResponse Xml(ResponseUnmarshaller unmarshaller, byte[] body)
    {
        using var stream = new MemoryStream(body, writable: false);
        return unmarshaller.Unmarshall(new XmlUnmarshallerContext(stream, false, s_response, false));
    }

    /// <summary>Unmarshalls a JSON (json, rest-json) response body.</summary>
    public static AmazonWebServiceResponse Json(ResponseUnmarshaller unmarshaller, byte[] body)
    {
        using var stream = new MemoryStream(body, writable: false);
        return unmarshaller.Unmarshall(new JsonUnmarshallerContext(stream, false, s_response, false));
    }

    /// <summary>The response data the unmarshaller contexts want: a 200 with no headers.</summary>
    private sealed class OkResponse : IWebResponseData
    {
        public long ContentLength => 0;
        public string ContentType => "";
        public HttpStatusCode StatusCode => HttpStatusCode.OK;
        public bool IsSuccessStatusCode => true;
        public IHttpResponseBody ResponseBody => null!;
        public string[] GetHeaderNames() => [];
        public bool IsHeaderPresent(string headerName) => false;
        public string GetHeaderValue(string headerName) => null!;
        public IEventStreamHeader GetEventStreamHeader(string headerName) => null!;
        public bool IsEventHeaderPresent(string headerName) => false;
    }
}
