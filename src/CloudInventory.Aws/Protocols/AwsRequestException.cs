namespace CloudInventory.Aws.Protocols;

/// <summary>
/// The parameters given for an operation cannot be serialized: an unknown member, a value of the
/// wrong type, a missing URI or host label. The message is one line naming the service, the
/// operation and the member path, e.g. <c>ec2 DescribeInstances: parameter 'Filters[0].Values' must be a list</c>.
/// </summary>
public sealed class AwsRequestException(string message) : Exception(message);
