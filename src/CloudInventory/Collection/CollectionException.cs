namespace CloudInventory.Collection;

/// <summary>A run cannot start: bad options, unreachable store, invalid credentials. The message says what to do.</summary>
public sealed class CollectionException(string message, Exception? inner = null) : Exception(message, inner);
