namespace CloudInventory.Server.Internal;

/// <summary>The store has no run to serve yet (a scheduled server before its first run): answered with 503.</summary>
internal sealed class StoreNotReadyException : Exception
{
    public StoreNotReadyException()
    {
    }

    public StoreNotReadyException(string message)
        : base(message)
    {
    }

    public StoreNotReadyException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
