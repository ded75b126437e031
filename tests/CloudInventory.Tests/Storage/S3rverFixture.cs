using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;
using Amazon.Runtime;
using CloudInventory.Storage;

namespace CloudInventory.Tests.Storage;

/// <summary>
/// A real S3 implementation on loopback: the npm package s3rver (installed in eng/npm by
/// <c>bash eng/test.sh</c>), started on a free port with a temporary directory and one bucket,
/// stopped after the tests.
/// </summary>
public sealed partial class S3rverFixture : IAsyncLifetime
{
    public const string Bucket = "cloudinv-test";
    private readonly StringBuilder _output = new();
    private Process? _process;
    private string? _directory;

    public string ServiceUrl { get; private set; } = "";

    public static AWSCredentials Credentials { get; } = new BasicAWSCredentials("S3RVER", "S3RVER");

    public S3InventoryStoreOptions Options(string prefix, bool useChunkEncoding = false) => new()
    {
        Bucket = Bucket,
        Prefix = prefix,
        ServiceUrl = ServiceUrl,
        Region = "us-east-1",
        ForcePathStyle = true,
        UseChunkEncoding = useChunkEncoding,
        Credentials = Credentials,
    };

    public async Task InitializeAsync()
    {
        var root = CloudInventory.Tests.RepositoryRoot.Path;
        var script = Path.Combine(root, "eng", "npm", "node_modules", "s3rver", "bin", "s3rver.js");
        if (!File.Exists(script))
        {
            throw new InvalidOperationException($"s3rver is not installed ({script} is missing): run `bash eng/test.sh`, which runs `npm ci` in eng/npm, or run `npm ci` there yourself.");
        }
        _directory = Path.Combine(Path.GetTempPath(), "cloudinv-s3rver", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_directory);
        var start = new ProcessStartInfo("node")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { script, "--directory", _directory, "--address", "127.0.0.1", "--port", "0", "--silent", "--configure-bucket", Bucket })
        {
            start.ArgumentList.Add(arg);
        }
        try
        {
            _process = Process.Start(start) ?? throw new InvalidOperationException("node did not start");
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            throw new InvalidOperationException($"node could not be started to run s3rver ({ex.Message}): install Node.js, then run `bash eng/test.sh`.", ex);
        }

        var listening = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        _process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null) return;
            lock (_output) _output.AppendLine(e.Data);
            var match = ListeningLine().Match(e.Data);
            if (match.Success) listening.TrySetResult($"http://127.0.0.1:{match.Groups[1].Value}");
        };
        _process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null) lock (_output) _output.AppendLine(e.Data);
        };
        _process.EnableRaisingEvents = true;
        _process.Exited += (_, _) => listening.TrySetException(new InvalidOperationException($"s3rver exited before listening:\n{Output}"));
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();

        var started = await Task.WhenAny(listening.Task, Task.Delay(TimeSpan.FromSeconds(60)));
        if (started != listening.Task) throw new InvalidOperationException($"s3rver did not start listening within a minute:\n{Output}");
        ServiceUrl = await listening.Task;
    }

    public Task DisposeAsync()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(10_000);
        }
        _process?.Dispose();
        if (_directory is not null && Directory.Exists(_directory))
        {
            try
            {
                Directory.Delete(_directory, recursive: true);
            }
            catch (IOException)
            {
            }
        }
        return Task.CompletedTask;
    }

    private string Output
    {
        get
        {
            lock (_output) return _output.ToString();
        }
    }


    [GeneratedRegex(@"S3rver listening on [^:\s]+:(\d+)")]
    private static partial Regex ListeningLine();
}
