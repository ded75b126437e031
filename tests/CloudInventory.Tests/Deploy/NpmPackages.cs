using System.Diagnostics;

namespace CloudInventory.Tests.Deploy;

/// <summary>The npm packages the deployment checks read, installed into eng/npm by `bash eng/test.sh`, and a way to run node scripts there.</summary>
internal static class NpmPackages
{
    public static string Root { get; } = Path.Combine(RepositoryRoot.Path, "eng", "npm", "node_modules");

    /// <summary>The directory of an installed package; fails the test when it is missing.</summary>
    public static string Directory(string package)
    {
        var path = Path.Combine(Root, package);
        Assert.True(File.Exists(Path.Combine(path, "package.json")), $"{package} is not installed in eng/npm: run `bash eng/test.sh` (it runs `npm ci` there)");
        return path;
    }

    /// <summary>Runs a node script file (from eng/npm) with arguments; returns its standard output, failing the test on a non-zero exit.</summary>
    public static string RunNode(string script, params string[] args)
    {
        var start = new ProcessStartInfo("node") { WorkingDirectory = Path.Combine(RepositoryRoot.Path, "eng", "npm"), RedirectStandardError = true, RedirectStandardOutput = true };
        start.ArgumentList.Add(Path.Combine(RepositoryRoot.Path, "eng", "npm", script));
        foreach (var a in args) start.ArgumentList.Add(a);
        using var process = Process.Start(start) ?? throw new InvalidOperationException("cannot start node");
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"node {script} {string.Join(' ', args)} failed ({process.ExitCode}): {stderr.Result}{stdout}");
        return stdout;
    }
}
