using System.Text.Json.Nodes;
using CloudInventory.Aws.Models;
using CloudInventory.Aws.Protocols.Serialization;

namespace CloudInventory.Aws.Protocols;

/// <summary>
/// Turns an operation's input, given as a generic JSON value tree, into the HTTP request of the
/// service's wire protocol (ec2, query, json 1.0/1.1, rest-json, rest-xml), ready for endpoint
/// resolution and signing.
/// </summary>
public static class AwsRequestSerializer
{
    /// <summary>
    /// Serializes <paramref name="input"/> (member names as in the model; null for no parameters)
    /// for <paramref name="operation"/>. Values are read leniently: numbers and booleans may be
    /// strings, timestamps epoch seconds, ISO-8601 strings or <see cref="DateTimeOffset"/> values,
    /// blobs strings (their UTF-8 bytes) or byte arrays.
    /// </summary>
    /// <exception cref="AwsRequestException">An unknown member, a value of the wrong type, or a missing URI or host label.</exception>
    public static AwsHttpRequest Serialize(Operation operation, JsonObject? input, AwsSerializerOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(operation);
        var ctx = new SerializationContext(operation, options ?? AwsSerializerOptions.Default);
        var bound = ctx.BindInput(input);
        var request = new AwsHttpRequest();
        switch (operation.Service.Protocol)
        {
            case AwsProtocol.Query:
                new QueryRequestWriter(ctx, ec2: false).Write(request, bound);
                break;
            case AwsProtocol.Ec2:
                new QueryRequestWriter(ctx, ec2: true).Write(request, bound);
                break;
            case AwsProtocol.Json:
                new JsonRpcRequestWriter(ctx).Write(request, bound);
                break;
            case AwsProtocol.RestJson:
                new RestRequestWriter(ctx, xml: false).Write(request, bound);
                break;
            case AwsProtocol.RestXml:
                new RestRequestWriter(ctx, xml: true).Write(request, bound);
                break;
            default:
                throw ctx.Error($"unsupported protocol {operation.Service.Protocol}");
        }
        request.HostPrefix = HostPrefix.Resolve(ctx, bound);
        return request;
    }
}
