namespace CloudInventory.Tests.Catalog.Generation;

/// <summary>Finds the repository root (the directory with CloudInventory.slnx) above the test binaries.</summary>
internal static class RepositoryRoot
{
    public static string Path { get; } = Find();

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "CloudInventory.slnx"))) return dir.FullName;
        }
        throw new InvalidOperationException("no CloudInventory.slnx above " + AppContext.BaseDirectory);
    }
}
