namespace CloudInventory.Aws.Models;

/// <summary>A bundled service as listed in the bundle index, available without parsing its model.</summary>
/// <param name="Name">The service name (aws-sdk metadata key), e.g. <c>cloudwatchlogs</c>.</param>
/// <param name="ClassName">The SDK class name, e.g. <c>CloudWatchLogs</c>.</param>
/// <param name="ModelPrefix">The prefix of the model's file names in aws-sdk, e.g. <c>elasticloadbalancingv2</c> for <c>elbv2</c>.</param>
/// <param name="ApiVersion">The bundled (latest) API version.</param>
/// <param name="EndpointPrefix">The endpoint prefix, e.g. <c>logs</c>.</param>
/// <param name="SigningName">The SigV4 signing name.</param>
/// <param name="Protocol">The protocol name.</param>
/// <param name="GlobalEndpoint">The global endpoint, or null.</param>
/// <param name="OperationCount">How many operations the model has.</param>
public sealed record ServiceInfo(
    string Name, string ClassName, string ModelPrefix, string ApiVersion, string EndpointPrefix, string SigningName,
    string Protocol, string? GlobalEndpoint, int OperationCount);
