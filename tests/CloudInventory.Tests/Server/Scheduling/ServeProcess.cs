using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using System.Text.RegularExpressions;
using CloudInventory.Simulator;

namespace CloudInventory.Tests.Server.Scheduling;

/// <summary>
/// A real <c>cloudinv serve</c> process (<c>dotnet cloudinv.dll serve …</c>) with the simulator's credentials: its address
/// from standard output, its JSON log events from standard error, and SIGTERM.
/// </summary>
internal sealed partial class ServeProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _stdout = new();
    private readonly ConcurrentQueue<string> _stderr = new();
    private readonly TaskCompletionSource<Uri> _address = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private ServeProcess(Process process)
    {
        _process = process;
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null) return;
            _stdout.Enqueue(e.Data);
            if (Address().Match(e.Data) is { Success: true } m) _address.TrySetResult(new Uri(m.Groups[1].Value));
        };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null) _stderr.Enqueue(e.Data);
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public HttpClient Http { get; } = new() { Timeout = TimeSpan.FromSeconds(30) };

    public string Stderr => string.Join('\n', _stderr);

    public string Stdout => string.Join('\n', _stdout);

    public int ExitCode => _process.ExitCode;

    public static ServeProcess Start(SimulatedCloud cloud, IDictionary<string, string>? environment, params string[] args)
    {
        var start = CloudInventory.Tests.Cli.CliProcess.StartInfo(cloud, ["serve", .. args]);
        foreach (var (name, value) in environment ?? new Dictionary<string, string>()) start.Environment[name] = value;
        return new ServeProcess(Process.Start(start)!);
    }

    /// <summary>The dashboard's address, once the server listens.</summary>
    public async Task<Uri> AddressAsync(TimeSpan timeout)
    {
        var exited = _process.WaitForExitAsync();
        var first = await Task.WhenAny(_address.Task, exited, Task.Delay(timeout));
        Assert.True(first == _address.Task, $"serve did not start listening:\n{Stdout}\n{Stderr}");
        return await _address.Task;
    }

    /// <summary>The JSON events logged so far, in order.</summary>
    public JsonElement[] Events() =>
        _stderr.Where(l => l.StartsWith('{')).Select(l =>
        {
            using var doc = JsonDocument.Parse(l);
            return doc.RootElement.Clone();
        }).ToArray();

    public static int Id(JsonElement e) => e.GetProperty("EventId").GetInt32();

    public static string State(JsonElement e, string name) => e.GetProperty("State").GetProperty(name).ToString();

    /// <summary>Waits until <paramref name="count"/> events with this id were logged.</summary>
    public async Task<JsonElement[]> WaitForEventsAsync(int eventId, int count, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var events = Events().Where(e => Id(e) == eventId).ToArray();
            if (events.Length >= count) return events;
            if (_process.HasExited) Assert.Fail($"serve exited ({_process.ExitCode}) before event {eventId} #{count}:\n{Stderr}");
            Assert.True(clock.Elapsed < timeout, $"no event {eventId} #{count} within {timeout}:\n{Stderr}");
            await Task.Delay(100);
        }
    }

    public void Terminate() => Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])!.WaitForExit();

    public async Task<bool> WaitForExitAsync(TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cancel.Token);
            _process.WaitForExit(); // drains the redirected streams
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>The value of one sample of /metrics (Prometheus text), or null when absent.</summary>
    public static double? Sample(string metrics, string name, string? label = null)
    {
        foreach (var line in metrics.Split('\n'))
        {
            if (line.StartsWith('#') || !line.StartsWith(name, StringComparison.Ordinal)) continue;
            var rest = line[name.Length..];
            if (rest.Length > 0 && rest[0] is not ('{' or ' ')) continue;
            if (label is not null && !rest.Contains(label, StringComparison.Ordinal)) continue;
            return double.Parse(line[(line.LastIndexOf(' ') + 1)..], System.Globalization.CultureInfo.InvariantCulture);
        }
        return null;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
        Http.Dispose();
    }

    [GeneratedRegex(@"^Cloud Inventory dashboard: (http://[^ ]+/) ")]
    private static partial Regex Address();
}
