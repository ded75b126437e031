namespace CloudInventory.Storage.Internal;

/// <summary>
/// Resolves store paths under a local root without following symbolic links: a path whose folders or file
/// (below the root) include a link is refused, so nothing the tool reads, writes or deletes lies outside the store.
/// </summary>
internal static class ContainedPath
{
    /// <summary>The absolute path of <paramref name="relativePath"/> under <paramref name="root"/>; throws when a component below the root is a symbolic link.</summary>
    /// <exception cref="ArgumentException">The path is not a store path.</exception>
    /// <exception cref="InventoryStoreException">A component is a symbolic link.</exception>
    public static string Resolve(string root, string relativePath)
    {
        StoreLayout.ValidateRelativePath(relativePath);
        var current = root;
        foreach (var segment in relativePath.Split('/'))
        {
            current = Path.Combine(current, segment);
            if (IsLink(current))
            {
                throw new InventoryStoreException($"{relativePath} in the store {root} goes through the symbolic link {Path.GetRelativePath(root, current).Replace('\\', '/')}; links in a store are never followed. Remove the link or run cloudinv store check.");
            }
        }
        return current;
    }

    /// <summary>Whether <paramref name="path"/> is a symbolic link (false when nothing is there).</summary>
    public static bool IsLink(string path)
    {
        try
        {
            return new FileInfo(path).LinkTarget is not null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <summary>
    /// The path with every symbolic link in it resolved, for the part that exists (the rest appended unchanged), so two
    /// spellings of one place compare equal.
    /// </summary>
    public static string RealPath(string path)
    {
        var full = Path.GetFullPath(path);
        var root = Path.GetPathRoot(full)!;
        var parts = full[root.Length..].Split(Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries);
        var current = root;
        for (var i = 0; i < parts.Length; i++)
        {
            var next = Path.Combine(current, parts[i]);
            FileSystemInfo info = new FileInfo(next);
            string? target;
            try
            {
                target = info.LinkTarget;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                target = null;
            }
            if (target is null)
            {
                if (!File.Exists(next) && !Directory.Exists(next)) return Path.Combine([next, .. parts[(i + 1)..]]);
                current = next;
                continue;
            }
            var resolved = info.ResolveLinkTarget(returnFinalTarget: true);
            current = resolved is null ? next : RealPath(resolved.FullName);
        }
        return current;
    }

    /// <summary>Whether <paramref name="path"/> is <paramref name="root"/> or inside it (both absolute and resolved).</summary>
    public static bool IsInside(string path, string root)
    {
        var trimmed = root.TrimEnd(Path.DirectorySeparatorChar);
        return path == trimmed || path.StartsWith(trimmed + Path.DirectorySeparatorChar, StringComparison.Ordinal);
    }
}
