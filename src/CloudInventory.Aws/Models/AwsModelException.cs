namespace CloudInventory.Aws.Models;

/// <summary>A model could not be loaded or does not have what was asked for.</summary>
public sealed class AwsModelException(string message) : Exception(message);
