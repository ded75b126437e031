using System.Text.Json.Nodes;
using CloudInventory.Aws.Models;
using CloudInventory.Aws.Protocols;

namespace CloudInventory.Aws.Client.Internal;

/// <summary>The product's wire protocol: <see cref="AwsRequestSerializer"/> and <see cref="AwsProtocolReader"/>.</summary>
internal sealed class ModelDrivenWireProtocol : IAwsWireProtocol
{
    public static ModelDrivenWireProtocol Instance { get; } = new();

    public AwsHttpRequest Serialize(Operation operation, JsonObject? input) => AwsRequestSerializer.Serialize(operation, input);

    public bool IsError(AwsHttpResponse response) => AwsProtocolReader.IsError(response);

    public void ReadOutput(Operation operation, AwsHttpResponse response, IShapeVisitor visitor) =>
        AwsProtocolReader.ReadOutput(operation, response, visitor);

    public AwsServiceError ReadError(Operation operation, AwsHttpResponse response) => AwsProtocolReader.ReadError(operation, response);
}
