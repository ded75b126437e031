namespace CloudInventory.Tests;

/// <summary>Finds the repository root (the directory with CloudInventory.slnx) above the test binaries, and ../shared beside it.</summary>
internal static class RepositoryRoot
{
    public static string Path { get; } = Find();

    /// <summary>The conformance suites in ../shared/conformance (read from there, never copied).</summary>
    public static string Conformance(string suite)
    {
        var path = System.IO.Path.GetFullPath(System.IO.Path.Combine(Path, "..", "shared", "conformance", suite));
        return Directory.Exists(path) ? path : throw new DirectoryNotFoundException($"conformance suites not found at {path}");
    }

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "CloudInventory.slnx"))) return dir.FullName;
        }
        throw new InvalidOperationException("no CloudInventory.slnx above " + AppContext.BaseDirectory);
    }
}
