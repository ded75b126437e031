namespace CloudInventory.Query;

/// <summary>
/// A query could not be answered: a SQL error (with DuckDB's message and position), a refused
/// statement, an unknown table, a bad date or an unusable store. The CLI shows the message and exits with 2.
/// </summary>
public sealed class InventoryQueryException : Exception
{
    /// <summary>Creates the exception.</summary>
    public InventoryQueryException() { }

    /// <summary>Creates the exception with a message.</summary>
    public InventoryQueryException(string message) : base(message) { }

    /// <summary>Creates the exception with a message and its cause.</summary>
    public InventoryQueryException(string message, Exception innerException) : base(message, innerException) { }

    /// <summary>Creates the exception with a message and a "did you mean" suggestion.</summary>
    public InventoryQueryException(string message, string? suggestion, Exception? innerException = null)
        : base(suggestion is null ? message : $"{message}\nDid you mean \"{suggestion}\"?", innerException)
    {
        Suggestion = suggestion;
    }

    /// <summary>The name the user probably meant, or null.</summary>
    public string? Suggestion { get; }
}
