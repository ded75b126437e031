namespace CloudInventory.Server;

/// <summary>The dashboard cannot start: bad options (address, missing token beyond loopback) or an unusable store.</summary>
public sealed class DashboardStartException : Exception
{
    /// <summary>Creates the exception.</summary>
    public DashboardStartException()
    {
    }

    /// <summary>Creates the exception with a message for the user.</summary>
    public DashboardStartException(string message) : base(message)
    {
    }

    /// <summary>Creates the exception with a message for the user and the cause.</summary>
    public DashboardStartException(string message, Exception innerException) : base(message, innerException)
    {
    }
}
