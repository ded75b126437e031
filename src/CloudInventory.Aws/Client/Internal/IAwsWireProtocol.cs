using System.Text.Json.Nodes;
using CloudInventory.Aws.Models;
using CloudInventory.Aws.Protocols;

namespace CloudInventory.Aws.Client.Internal;

/// <summary>The model-driven serializer and reader the client drives (a seam for tests of the transport).</summary>
internal interface IAwsWireProtocol
{
    AwsHttpRequest Serialize(Operation operation, JsonObject? input);

    bool IsError(AwsHttpResponse response);

    void ReadOutput(Operation operation, AwsHttpResponse response, IShapeVisitor visitor);

    AwsServiceError ReadError(Operation operation, AwsHttpResponse response);
}
