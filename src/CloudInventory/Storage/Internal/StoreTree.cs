namespace CloudInventory.Storage.Internal;

/// <summary>
/// Walks a local store without following symbolic links: links are reported, never entered or listed; folders that
/// cannot be read are reported and the walk goes on.
/// </summary>
internal static class StoreTree
{
    private static readonly EnumerationOptions OneLevel = new() { AttributesToSkip = 0, IgnoreInaccessible = false, RecurseSubdirectories = false };

    /// <summary>The regular files under <paramref name="directory"/> (recursively), with the links and unreadable folders met.</summary>
    public static void Walk(string root, string directory, List<(string Path, FileInfo File)> files, List<SkippedEntry> skipped, CancellationToken cancellationToken)
    {
        var pending = new Stack<DirectoryInfo>();
        pending.Push(new DirectoryInfo(directory));
        while (pending.Count > 0)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var folder = pending.Pop();
            List<FileSystemInfo> entries;
            try
            {
                entries = folder.EnumerateFileSystemInfos("*", OneLevel).ToList();
            }
            catch (Exception e) when (e is UnauthorizedAccessException or IOException)
            {
                if (e is DirectoryNotFoundException) continue;
                skipped.Add(new SkippedEntry(Relative(root, folder.FullName), SkippedEntryKind.UnreadableFolder, e.Message));
                continue;
            }
            foreach (var entry in entries)
            {
                string? target;
                try
                {
                    target = entry.LinkTarget;
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    target = null;
                }
                if (target is not null) skipped.Add(new SkippedEntry(Relative(root, entry.FullName), SkippedEntryKind.SymbolicLink, target));
                else if (entry is DirectoryInfo sub) pending.Push(sub);
                else if (entry is FileInfo file) files.Add((Relative(root, file.FullName), file));
            }
        }
    }

    private static string Relative(string root, string path) => Path.GetRelativePath(root, path).Replace(Path.DirectorySeparatorChar, '/');
}
