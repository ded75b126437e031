using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace CloudInventory.Storage.Internal;

/// <summary>
/// What identifies the content of a local file without reading it: size, modification time, inode and status-change time
/// (<c>stat</c>; a rewrite, a rename over it or a restored timestamp changes at least one). Where <c>stat</c> cannot be
/// called (not Linux on x64/arm64), size and modification time only.
/// </summary>
internal readonly record struct FileIdentity(long Size, long ModifiedNanoseconds, ulong Inode, long ChangedNanoseconds)
{
    /// <summary>The identity of the file at <paramref name="path"/>, or null when it is not there or cannot be examined.</summary>
    public static FileIdentity? Of(string path)
    {
        if (OperatingSystem.IsLinux() && RuntimeInformation.ProcessArchitecture is Architecture.X64 or Architecture.Arm64)
        {
            var buffer = new byte[256];
            try
            {
                if (Stat(path, buffer) != 0) return null;
            }
            catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
            {
                return Fallback(path);
            }
            // struct stat on x86_64 and on aarch64 (asm-generic) glibc: st_ino at 8, st_size at 48, st_mtim at 88, st_ctim at 104.
            var span = buffer.AsSpan();
            return new FileIdentity(
                BinaryPrimitives.ReadInt64LittleEndian(span[48..]),
                BinaryPrimitives.ReadInt64LittleEndian(span[88..]) * 1_000_000_000 + BinaryPrimitives.ReadInt64LittleEndian(span[96..]),
                BinaryPrimitives.ReadUInt64LittleEndian(span[8..]),
                BinaryPrimitives.ReadInt64LittleEndian(span[104..]) * 1_000_000_000 + BinaryPrimitives.ReadInt64LittleEndian(span[112..]));
        }
        return Fallback(path);
    }

    /// <summary>The identity as one text key.</summary>
    public override string ToString() => $"{Size}:{ModifiedNanoseconds}:{Inode}:{ChangedNanoseconds}";

    private static FileIdentity? Fallback(string path)
    {
        var info = new FileInfo(path);
        return info.Exists ? new FileIdentity(info.Length, info.LastWriteTimeUtc.Ticks * 100, 0, 0) : null;
    }

    // Plain DllImport (strings are UTF-8 on Unix): LibraryImport would need unsafe code in the assembly.
    [DllImport("libc", EntryPoint = "stat", CharSet = CharSet.Ansi, BestFitMapping = false, ThrowOnUnmappableChar = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int Stat(string path, [Out] byte[] buffer);
}
