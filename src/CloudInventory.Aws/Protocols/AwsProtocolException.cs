namespace CloudInventory.Aws.Protocols;

/// <summary>A response could not be read: malformed, truncated, or not what the protocol sends.</summary>
public sealed class AwsProtocolException(string message, Exception? inner = null) : Exception(message, inner);
