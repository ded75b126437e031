using System.Security.Cryptography;
using System.Text;

namespace CloudInventory.Storage.Internal;

/// <summary>
/// The SHA-256 of local store files, remembered by (path, <see cref="FileIdentity"/>) in a private file outside the
/// store, so each file is hashed once, not on every query; a file whose identity changed is hashed again. A cache
/// that cannot be read or written is ignored (everything is then hashed each time).
/// </summary>
internal sealed class FileHashCache
{
    private readonly string? _file;
    private readonly Dictionary<string, (string Identity, string Sha256)> _entries = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();
    private bool _dirty;

    private FileHashCache(string? file) => _file = file;

    /// <summary>How many files were hashed (not found in the cache) by this instance.</summary>
    public int Hashed { get; private set; }

    /// <summary>A cache that is kept in memory only.</summary>
    public static FileHashCache InMemory() => new(null);

    /// <summary>The cache of the store at <paramref name="storeRoot"/>, kept in <paramref name="directory"/> (created private, mode 0700).</summary>
    public static FileHashCache Open(string directory, string storeRoot)
    {
        var name = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(storeRoot)))[..16] + ".tsv";
        var cache = new FileHashCache(Path.Combine(directory, name));
        try
        {
            if (File.Exists(cache._file))
            {
                foreach (var line in File.ReadLines(cache._file!))
                {
                    var parts = line.Split('\t');
                    if (parts.Length == 3 && parts[2].Length == 64) cache._entries[parts[0]] = (parts[1], parts[2]);
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            cache._entries.Clear();
        }
        return cache;
    }

    /// <summary>The SHA-256 (lowercase hex) of the file at <paramref name="fullPath"/>, from the cache when its identity is unchanged.</summary>
    /// <exception cref="IOException">The file cannot be read.</exception>
    public string Sha256(string fullPath, bool recompute = false)
    {
        var before = FileIdentity.Of(fullPath) ?? throw new FileNotFoundException($"{fullPath} is not there", fullPath);
        var key = before.ToString();
        lock (_lock)
        {
            if (!recompute && _entries.TryGetValue(fullPath, out var known) && known.Identity == key) return known.Sha256;
        }
        string sha;
        using (var stream = new FileStream(fullPath, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan))
        {
            sha = Convert.ToHexStringLower(SHA256.HashData(stream));
        }
        lock (_lock)
        {
            Hashed++;
            // Only remember what did not change while it was read.
            if (FileIdentity.Of(fullPath) is { } after && after == before)
            {
                _entries[fullPath] = (key, sha);
                _dirty = true;
            }
        }
        return sha;
    }

    /// <summary>Writes the cache back (atomically) if it learnt something; failures are ignored.</summary>
    public void Save()
    {
        if (_file is null) return;
        lock (_lock)
        {
            if (!_dirty) return;
            var directory = Path.GetDirectoryName(_file)!;
            var temp = _file + ".tmp-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6));
            try
            {
                if (!Directory.Exists(directory))
                {
                    if (OperatingSystem.IsWindows()) Directory.CreateDirectory(directory);
                    else Directory.CreateDirectory(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
                }
                File.WriteAllLines(temp, _entries.Where(e => File.Exists(e.Key)).Select(e => $"{e.Key}\t{e.Value.Identity}\t{e.Value.Sha256}"));
                File.Move(temp, _file, overwrite: true);
                _dirty = false;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                try { File.Delete(temp); } catch (Exception d) when (d is IOException or UnauthorizedAccessException) { }
            }
        }
    }
}
