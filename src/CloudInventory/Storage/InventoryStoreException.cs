namespace CloudInventory.Storage;

/// <summary>A store cannot be used: not writable, unreachable, or an object is missing or corrupt. The message says what to do.</summary>
public sealed class InventoryStoreException : Exception
{
    /// <summary>A store error with a message.</summary>
    public InventoryStoreException(string message) : base(message) { }

    /// <summary>A store error with a message and its cause.</summary>
    public InventoryStoreException(string message, Exception innerException) : base(message, innerException) { }

    /// <summary>A store error without details.</summary>
    public InventoryStoreException() { }

    /// <summary>True when the store was written in a newer store format than this cloudinv reads: the whole store is refused, not one manifest.</summary>
    public bool NewerFormat { get; init; }
}
