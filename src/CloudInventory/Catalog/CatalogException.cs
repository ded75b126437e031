namespace CloudInventory.Catalog;

/// <summary>A spec or catalog problem, with the file and table it concerns.</summary>
public sealed class CatalogException : Exception
{
    /// <summary>Creates an exception with a message.</summary>
    public CatalogException(string message) : base(message)
    {
    }

    /// <summary>Creates an exception with a message and its cause.</summary>
    public CatalogException(string message, Exception innerException) : base(message, innerException)
    {
    }

    /// <summary>Creates an exception for a problem in a spec file, optionally in one of its tables.</summary>
    public CatalogException(string file, string? table, string problem, Exception? innerException = null)
        : base(table is null ? $"{file}: {problem}" : $"{file}: table '{table}': {problem}", innerException)
    {
        File = file;
        Table = table;
        Problem = problem;
    }

    /// <summary>The spec file, when the problem is in one.</summary>
    public string? File { get; }

    /// <summary>The table, when the problem is in one.</summary>
    public string? Table { get; }

    /// <summary>What is wrong, without the file and table.</summary>
    public string? Problem { get; }
}
