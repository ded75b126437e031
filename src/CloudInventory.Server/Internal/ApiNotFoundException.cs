namespace CloudInventory.Server.Internal;

/// <summary>A request named something that does not exist (a table, a snapshot, a resource): answered with 404.</summary>
internal sealed class ApiNotFoundException(string message) : Exception(message);
