namespace CloudInventory.Aws.Models;

/// <summary>The five AWS wire protocols.</summary>
public enum AwsProtocol
{
    /// <summary>EC2 query: form-encoded requests, XML responses without result wrappers.</summary>
    Ec2,
    /// <summary>AWS query: form-encoded requests, XML responses with result wrappers.</summary>
    Query,
    /// <summary>AWS JSON 1.0/1.1: POST with X-Amz-Target.</summary>
    Json,
    /// <summary>REST with JSON bodies.</summary>
    RestJson,
    /// <summary>REST with XML bodies.</summary>
    RestXml,
}
