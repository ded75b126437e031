namespace CloudInventory.Aws.Credentials;

/// <summary>No usable AWS credentials could be resolved. The message never contains key material.</summary>
public sealed class AwsCredentialsException(string message, Exception? inner = null) : Exception(message, inner);
