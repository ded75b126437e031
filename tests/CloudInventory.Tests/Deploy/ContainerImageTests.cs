using System.Diagnostics;
using CloudInventory.Simulator;

namespace CloudInventory.Tests.Deploy;

/// <summary>
/// Builds the image from the Containerfile with buildah (vfs storage, chroot isolation; `bash eng/build-image.sh`, the
/// command docs/deploy.md gives) and runs the demo and a collection against the simulator inside it.
/// </summary>
[Trait("Category", "Integration")]
public sealed class ContainerImageTests
{
    private const string Tag = "localhost/cloudinv:test";

    private static (int Code, string Output) Run(string file, IEnumerable<string> args, TimeSpan? limit = null)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = RepositoryRoot.Path };
        foreach (var a in args) start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(limit ?? TimeSpan.FromMinutes(20)))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"{file} {string.Join(' ', args)} did not finish");
        }
        return (process.ExitCode, stdout.Result + stderr.Result);
    }

    // One publish per test run: reused while it is newer than the CLI the tests were built with.
    private static string Publish()
    {
        var dir = Path.Combine(RepositoryRoot.Path, "artifacts", "publish", "linux-x64");
        var published = Path.Combine(dir, "cloudinv.dll");
        if (!File.Exists(published) || File.GetLastWriteTimeUtc(published) < File.GetLastWriteTimeUtc(Path.Combine(AppContext.BaseDirectory, "cloudinv.dll")))
        {
            var (code, output) = Run("dotnet", ["publish", "src/CloudInventory.Cli", "-c", "Release", "-r", "linux-x64", "--self-contained", "-o", dir, "-p:DebugType=none", "-p:GenerateDocumentationFile=false"]);
            Assert.True(code == 0, output);
        }
        return dir;
    }

    [Fact]
    public async Task The_image_builds_from_scratch_and_runs_the_demo_and_a_collection_as_a_non_root_user()
    {
        Assert.True(Run("sh", ["-c", "command -v buildah"]).Code == 0, "buildah is not installed: `bash eng/test.sh` installs it (apt-get install buildah)");
        var (built, log) = Run("bash", ["eng/build-image.sh", "--tag", Tag, "--publish-dir", Publish()]);
        Assert.True(built == 0, log);

        var (created, name) = Run("buildah", ["--storage-driver", "vfs", "from", "--pull-never", Tag]);
        Assert.True(created == 0, name);
        var container = name.Trim().Split('\n')[^1];
        try
        {
            string[] Exec(params string[] command) => ["--storage-driver", "vfs", "run", "--isolation", "chroot", "--network", "host", container, "--", .. command];

            var (whoami, id) = Run("buildah", Exec("/app/cloudinv", "aws", "services"));
            Assert.True(whoami == 0, id);

            // The demo starts its own simulator inside the container and writes only under /state.
            var (demo, demoOutput) = Run("buildah", Exec("/app/cloudinv", "demo"));
            Assert.True(demo == 0, demoOutput);
            Assert.Contains("instances", demoOutput, StringComparison.OrdinalIgnoreCase);

            // A collection against a simulator on the host's loopback, JSON logs on stderr.
            await using var cloud = await SimulatedCloud.StartAsync(new SimulatorOptions { Seed = 3, Accounts = 3, Regions = ["us-east-1"], Date = new DateOnly(2026, 11, 20) });
            var (collected, collectOutput) = Run("buildah", ["--storage-driver", "vfs", "run", "--isolation", "chroot", "--network", "host",
                "--env", $"AWS_ACCESS_KEY_ID={cloud.ManagementAccessKey}", "--env", $"AWS_SECRET_ACCESS_KEY={cloud.SecretFor(cloud.ManagementAccessKey)}", "--env", "AWS_REGION=us-east-1",
                container, "--", "/app/cloudinv", "collect", "--endpoint-url", cloud.Endpoint.ToString(), "--org", "--role-name", "inventory", "--store", "/state/inventory",
                "--tables", "aws_ec2_instances", "aws_s3_buckets", "--log-format", "json", "--json"]);
            Assert.True(collected == 0, collectOutput);
            Assert.Contains("\"EventId\":2,", collectOutput, StringComparison.Ordinal); // RunFinished
            Assert.Matches("\"status\":\\s*\"complete\"", collectOutput); // the --json summary on stdout

            // Non-root, and nothing outside /state is writable for it (so the root filesystem may be mounted read-only).
            var (mounted, root) = Run("buildah", ["--storage-driver", "vfs", "mount", container]);
            Assert.True(mounted == 0, root);
            root = root.Trim().Split('\n')[^1];
            var (found, writable) = Run("find", [root, "-path", Path.Combine(root, "state"), "-prune", "-o", "!", "-type", "l", "(", "-user", "10001", "-o", "-perm", "-o+w", ")", "-print"]);
            Assert.True(found == 0, writable);
            Assert.Equal("", writable.Trim());
            Assert.Contains("cloudinv:x:10001:10001", File.ReadAllText(Path.Combine(root, "etc", "passwd")), StringComparison.Ordinal);
        }
        finally
        {
            Run("buildah", ["--storage-driver", "vfs", "rm", container]);
        }
    }
}
