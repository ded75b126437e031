using System.Runtime.InteropServices;

namespace CloudInventory.Collection.Internal;

/// <summary>
/// Asks the C allocator (glibc's malloc, used by the Parquet writer's native code) to give freed memory
/// back instead of keeping it: at most two arenas, and large blocks (≥ 128 KiB) mapped and unmapped
/// rather than carved from arenas. Without it, glibc's per-thread arenas and its rising mmap threshold kept
/// ~110 MiB of freed Parquet buffers resident in the collection memory benchmark (docs/benchmarks.md §2.2).
/// Applied once per process; a no-op where the call does not exist (not Linux, or a libc without mallopt).
/// </summary>
internal static class NativeAllocator
{
    private const int MmapThreshold = -3; // M_MMAP_THRESHOLD
    private const int ArenaMax = -8; // M_ARENA_MAX
    private static int s_applied;

    // Read by the jemalloc inside ParquetSharp's native library (Arrow's build of it) when it starts.
    private const string ParquetJemallocConfig = "JE_ARROW_MALLOC_CONF";

    [DllImport("libc", EntryPoint = "mallopt")]
    private static extern int MallOpt(int parameter, int value);

    [DllImport("libc", EntryPoint = "malloc_trim")]
    private static extern int MallocTrim(nuint pad);

    private static int s_trimUnavailable;

    /// <summary>
    /// Gives the free memory inside glibc's arenas back to the system (<c>malloc_trim</c>): the Parquet writer's
    /// metadata and column writers come and go with its files and row groups, and leave free holes that glibc keeps
    /// resident otherwise. A no-op where the call does not exist.
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

    [DllImport("libc", EntryPoint = "setenv")]
    private static extern int SetEnv(string name, string value, int overwrite);

    /// <summary>
    /// Has the jemalloc that holds Parquet's page and compression buffers return freed pages to the system at once
    /// (Arrow's default keeps them for ~1 s, then marks them lazily freed, still resident: 10–30 MiB of the collection
    /// memory benchmark's peak, docs/benchmarks.md §2.2c). Takes effect only when called before the Parquet library is
    /// first used, and only where the operator has not set <c>JE_ARROW_MALLOC_CONF</c>. Sets a process environment
    /// variable, so it must run before other threads start (the CLI's first statement).
    /// </summary>
    public static void PurgeParquetBuffersAtOnce()
    {
        if (!(OperatingSystem.IsLinux() || OperatingSystem.IsMacOS()) || Environment.GetEnvironmentVariable(ParquetJemallocConfig) is not null) return;
        try
        {
            SetEnv(ParquetJemallocConfig, "dirty_decay_ms:0,muzzy_decay_ms:0", 0);
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            // No C library to ask: Arrow's defaults apply.
        }
    }

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
}
