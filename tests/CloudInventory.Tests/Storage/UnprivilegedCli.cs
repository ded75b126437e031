using System.Diagnostics;

namespace CloudInventory.Tests.Storage;

/// <summary>
/// Runs the built cloudinv in a child process as a user the file system really denies: the test runner's own user when
/// it is not root, else <c>nobody</c> (uid 65534) through <c>setpriv</c>, since root reads files whatever their mode. Nothing
/// is skipped: when no unprivileged user can be had, the run fails with the reason.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
internal static class UnprivilegedCli
{
    /// <summary>The user id the child runs as, to hand files to (<see cref="GiveAway"/>).</summary>
    public const int NobodyId = 65534;

    private static readonly Lazy<string> s_application = new(FindApplication);

    /// <summary>True when the child runs as another user than the test runner (the runner is root).</summary>
    public static bool DropsPrivileges => Environment.IsPrivilegedProcess;

    /// <summary>Makes <paramref name="directory"/> and everything in it the child's, so it may read, write and delete there as an owner does.</summary>
    public static void GiveAway(string directory)
    {
        if (!DropsPrivileges) return;
        Execute("chown", ["-R", $"{NobodyId}:{NobodyId}", directory]);
    }

    /// <summary>Runs <c>cloudinv</c> with <paramref name="args"/> as the unprivileged user, with its own home and cache folders.</summary>
    public static (int Code, string Out, string Err) Run(string home, params string[] args)
    {
        var command = new List<string>();
        if (DropsPrivileges) command.AddRange(["setpriv", $"--reuid={NobodyId}", $"--regid={NobodyId}", "--clear-groups", "--"]);
        command.AddRange([Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet", s_application.Value]);
        command.AddRange(args);
        var environment = new Dictionary<string, string>
        {
            ["HOME"] = home,
            ["DOTNET_CLI_HOME"] = home,
            ["XDG_CACHE_HOME"] = Path.Combine(home, ".cache"),
            ["TMPDIR"] = Path.Combine(home, "tmp"),
        };
        Directory.CreateDirectory(environment["TMPDIR"]);
        GiveAway(home);
        return Execute(command[0], command.Skip(1).ToArray(), environment);
    }

    private static (int Code, string Out, string Err) Execute(string file, string[] args, Dictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in args) start.ArgumentList.Add(arg);
        foreach (var name in start.Environment.Keys.Where(k => k.StartsWith("CLOUDINV_", StringComparison.Ordinal)).ToArray()) start.Environment.Remove(name);
        foreach (var (name, value) in environment ?? []) start.Environment[name] = value;
        Process process;
        try
        {
            process = Process.Start(start)!;
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException($"{file} cannot be started ({e.Message}); the permission tests need it (util-linux's setpriv when they run as root).", e);
        }
        using (process)
        {
            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEndAsync();
            process.WaitForExit();
            var result = (process.ExitCode, output.Result.ReplaceLineEndings("\n"), error.Result.ReplaceLineEndings("\n"));
            if (file == "chown" && result.ExitCode != 0) throw new InvalidOperationException($"chown failed: {result.Item3}");
            return result;
        }
    }

    // The test binaries hold cloudinv.dll and its dependencies; when the unprivileged user cannot reach them (a checkout under
    // a private home), they are linked (or copied) into a folder it can read.
    private static string FindApplication()
    {
        var binaries = AppContext.BaseDirectory;
        var cli = Path.Combine(binaries, "cloudinv.dll");
        if (!DropsPrivileges) return cli;
        var probe = Execute("setpriv", [$"--reuid={NobodyId}", $"--regid={NobodyId}", "--clear-groups", "--", "test", "-r", cli]);
        if (probe.Code == 0) return cli;
        var copy = Path.Combine(Path.GetTempPath(), "cloudinv-unprivileged-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(copy);
        File.SetUnixFileMode(copy, (UnixFileMode)Convert.ToInt32("755", 8));
        var linked = Execute("cp", ["-al", binaries.TrimEnd('/') + "/.", copy]);
        if (linked.Code != 0) Execute("cp", ["-a", binaries.TrimEnd('/') + "/.", copy]);
        AppDomain.CurrentDomain.ProcessExit += (_, _) => Directory.Delete(copy, recursive: true);
        return Path.Combine(copy, "cloudinv.dll");
    }
}
