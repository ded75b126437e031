using System.Runtime.InteropServices;

namespace CloudInventory.Collection.Internal;

/// <summary>
/// The native allocators under the managed code, asked to give freed memory back rather than keep it:
/// <list type="bullet">
/// <item>glibc's malloc (the Parquet writer's metadata and column writers): at most two arenas, blocks of 128 KiB and more
/// mapped and unmapped rather than carved from arenas, and the arenas' free memory returned on request (<c>malloc_trim</c>).
/// Without it, glibc's per-thread arenas and its rising mmap threshold kept ~110 MiB of freed Parquet buffers resident in the
/// collection memory benchmark (docs/benchmarks.md §2.2).</item>
/// <item>The jemalloc inside ParquetSharp's native library (Parquet's page and compression buffers) and the one inside
/// DuckDB's: Arrow's default keeps freed pages ~1 s, then marks them lazily freed but still resident, and DuckDB's keeps them
/// for seconds and reuses them, so a host's resident memory grows by each large query's peak and stays there. With no decay
/// they return pages as they are freed (collection benchmark: 10–30 MiB of the peak, §2.2c; a week diff in <c>serve</c>:
/// 166 → 119 MB, §9). Both read their options from an environment variable once, at their first allocation in the process,
/// so these calls take effect only before that, and never over a value the operator set.</item>
/// </list>
/// Every call is a no-op where the C library's call does not exist (not Linux, or a libc without it).
/// </summary>
internal static class NativeAllocator
{
    private const int MmapThreshold = -3; // M_MMAP_THRESHOLD
    private const int ArenaMax = -8; // M_ARENA_MAX
    private static int s_applied;
    private static int s_trimUnavailable;

    /// <summary>The variable ParquetSharp's jemalloc (Arrow's build of it) reads its options from.</summary>
    public const string ParquetConfigVariable = "JE_ARROW_MALLOC_CONF";

    /// <summary>The variable DuckDB's jemalloc reads its options from.</summary>
    public const string DuckDbConfigVariable = "DUCKDB_JE_MALLOC_CONF";

    // jemalloc's options for returning freed pages at once (no dirty or muzzy page decay).
    private const string ReturnPromptly = "dirty_decay_ms:0,muzzy_decay_ms:0";

    /// <summary>glibc: at most two arenas, large blocks mapped (once per process).</summary>
    public static void PreferReturningMemory()
    {
        if (!OperatingSystem.IsLinux() || Interlocked.Exchange(ref s_applied, 1) == 1) return;
        try
        {
            MallOpt(ArenaMax, 2);
            MallOpt(MmapThreshold, 128 * 1024);
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            // Another C library: its own defaults apply.
        }
    }

    /// <summary>
    /// Gives the free memory inside glibc's arenas back to the system (<c>malloc_trim</c>): the Parquet writer's metadata and
    /// column writers come and go with its files and row groups, and leave free holes that glibc keeps resident otherwise.
    /// </summary>
    public static void ReturnFreeMemory()
    {
        if (!OperatingSystem.IsLinux() || Volatile.Read(ref s_trimUnavailable) == 1) return;
        try
        {
            MallocTrim(0);
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            Volatile.Write(ref s_trimUnavailable, 1);
        }
    }

    /// <summary>
    /// Parquet's jemalloc returns freed pages at once. Sets a process environment variable, so it must run before other
    /// threads start (the CLI's first statement) and before the Parquet library's first use.
    /// </summary>
    public static bool PurgeParquetBuffersAtOnce() =>
        (OperatingSystem.IsLinux() || OperatingSystem.IsMacOS()) && SetIfUnset(ParquetConfigVariable);

    /// <summary>
    /// DuckDB's jemalloc (Linux only) returns freed pages at once: a host calls it before opening its first database (later
    /// calls change nothing). True when the variable is set (now or before).
    /// </summary>
    public static bool PurgeDuckDbFreedPagesAtOnce() => OperatingSystem.IsLinux() && SetIfUnset(DuckDbConfigVariable);

    /// <summary>A variable's value in the native environment (what jemalloc reads), or null.</summary>
    public static string? Current(string variable)
    {
        if (OperatingSystem.IsWindows()) return null;
        try
        {
            var value = GetEnv(variable);
            return value == IntPtr.Zero ? null : Marshal.PtrToStringUTF8(value);
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return null;
        }
    }

    private static bool SetIfUnset(string variable)
    {
        try
        {
            // The native environment, not .NET's copy of it (Environment.SetEnvironmentVariable does not reach it); an
            // existing value, the operator's, is kept.
            return SetEnv(variable, ReturnPromptly, overwrite: 0) == 0;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return false;
        }
    }

    // Plain DllImport (strings are UTF-8 on Unix): LibraryImport would need unsafe code in the assembly.
    [DllImport("libc", EntryPoint = "mallopt")]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int MallOpt(int parameter, int value);

    [DllImport("libc", EntryPoint = "malloc_trim")]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int MallocTrim(nuint pad);

    [DllImport("libc", EntryPoint = "setenv", CharSet = CharSet.Ansi, BestFitMapping = false, ThrowOnUnmappableChar = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int SetEnv(string name, string value, int overwrite);

    [DllImport("libc", EntryPoint = "getenv", CharSet = CharSet.Ansi, BestFitMapping = false, ThrowOnUnmappableChar = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern IntPtr GetEnv(string name);
}
