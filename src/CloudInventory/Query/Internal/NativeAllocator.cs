using System.Runtime.InteropServices;

namespace CloudInventory.Query.Internal;

/// <summary>
/// DuckDB's allocator on Linux (its own jemalloc, configured by the <c>DUCKDB_JE_MALLOC_CONF</c> environment variable, read once,
/// at DuckDB's first allocation in the process). By default jemalloc keeps freed pages for seconds and reuses them, so a
/// long-lived host's resident memory grows by each large query's peak and stays there; with no decay it returns them to the
/// system as they are freed (measured in docs/benchmarks.md §9: a week diff's peak 166 -> 119 MB, and back to ~90 MB after it,
/// at no measurable cost in time).
/// </summary>
internal static class NativeAllocator
{
    /// <summary>The variable DuckDB's jemalloc reads its options from.</summary>
    public const string ConfigVariable = "DUCKDB_JE_MALLOC_CONF";

    /// <summary>Return freed pages at once (no dirty or muzzy page decay).</summary>
    public const string ReturnPromptly = "dirty_decay_ms:0,muzzy_decay_ms:0";

    /// <summary>
    /// Asks DuckDB's allocator to return freed memory at once, unless the process environment already configures it (the
    /// user's setting wins). Takes effect only before DuckDB's first allocation in this process (its first database), so a
    /// host calls it before opening one; later calls change nothing. True when the variable is set (now or before).
    /// </summary>
    public static bool PreferReturningMemory()
    {
        if (!OperatingSystem.IsLinux()) return false;
        try
        {
            // The native environment (what jemalloc reads), not .NET's copy of it: Environment.SetEnvironmentVariable does not reach it.
            return SetEnv(ConfigVariable, ReturnPromptly, overwrite: 0) == 0;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return false;
        }
    }

    /// <summary>The variable's value in the native environment, or null.</summary>
    public static string? Current()
    {
        if (!OperatingSystem.IsLinux()) return null;
        var value = GetEnv(ConfigVariable);
        return value == IntPtr.Zero ? null : Marshal.PtrToStringUTF8(value);
    }

    // Plain DllImport (strings are UTF-8 on Unix): LibraryImport would need unsafe code in the assembly.
    [DllImport("libc", EntryPoint = "setenv", CharSet = CharSet.Ansi, BestFitMapping = false, ThrowOnUnmappableChar = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int SetEnv(string name, string value, int overwrite);

    [DllImport("libc", EntryPoint = "getenv", CharSet = CharSet.Ansi, BestFitMapping = false, ThrowOnUnmappableChar = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern IntPtr GetEnv(string name);
}
