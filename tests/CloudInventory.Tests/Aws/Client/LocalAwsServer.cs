using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace CloudInventory.Tests.Aws.Client;

/// <summary>A request the local server received.</summary>
internal sealed record RecordedRequest(string Method, string Target, Dictionary<string, string> Headers, byte[] Body)
{
    public string BodyText => Encoding.UTF8.GetString(Body);

    public string Path => Target.Split('?')[0];
}

/// <summary>
/// A canned response; <see cref="Reset"/> closes the connection without answering, <see cref="Hang"/>
/// keeps it open without answering until the server stops.
/// </summary>
internal sealed record CannedResponse(int Status, string Body, Dictionary<string, string>? Headers = null, bool Reset = false, bool Hang = false)
{
    public static CannedResponse Xml(string body, int status = 200) => new(status, body, new() { ["Content-Type"] = "text/xml" });

    public static CannedResponse Json(string body, int status = 200, string contentType = "application/x-amz-json-1.1") =>
        new(status, body, new() { ["Content-Type"] = contentType });
}

/// <summary>
/// A minimal HTTP/1.1 server on 127.0.0.1 (an ephemeral port) that records requests and answers each
/// with the next canned response (or a handler's), one request per connection.
/// </summary>
internal sealed class LocalAwsServer : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly ConcurrentQueue<CannedResponse> _responses = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    public LocalAwsServer(Func<RecordedRequest, CannedResponse>? handler = null)
    {
        Handler = handler;
        _listener.Start();
        Url = new Uri($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/");
        _loop = Task.Run(AcceptLoopAsync);
    }

    public Uri Url { get; }

    public Func<RecordedRequest, CannedResponse>? Handler { get; set; }

    public ConcurrentQueue<RecordedRequest> Requests { get; } = new();

    public List<RecordedRequest> RequestList => [.. Requests];

    public LocalAwsServer Enqueue(params CannedResponse[] responses)
    {
        foreach (var r in responses) _responses.Enqueue(r);
        return this;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        try
        {
            await _loop;
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }
        _stop.Dispose();
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            // Stopped (a loop that starts only after Stop sees "Not listening": InvalidOperationException).
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }
            _ = Task.Run(() => ServeAsync(client));
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using (client)
        {
            var stream = client.GetStream();
            var request = await ReadRequestAsync(stream);
            if (request is null) return;
            Requests.Enqueue(request);
            var response = Handler?.Invoke(request)
                ?? (_responses.TryDequeue(out var next) ? next : new CannedResponse(500, "no canned response left"));
            if (response.Hang)
            {
                try
                {
                    await Task.Delay(Timeout.Infinite, _stop.Token);
                }
                catch (OperationCanceledException)
                {
                }
                return;
            }
            if (response.Reset)
            {
                client.Client.LingerState = new LingerOption(true, 0);
                return;
            }
            var body = Encoding.UTF8.GetBytes(response.Body);
            var head = new StringBuilder();
            head.Append($"HTTP/1.1 {response.Status} {ReasonPhrase(response.Status)}\r\n");
            foreach (var (name, value) in response.Headers ?? []) head.Append($"{name}: {value}\r\n");
            head.Append($"Content-Length: {body.Length}\r\nConnection: close\r\n\r\n");
            await stream.WriteAsync(Encoding.ASCII.GetBytes(head.ToString()));
            await stream.WriteAsync(body);
            await stream.FlushAsync();
        }
    }

    private static string ReasonPhrase(int status) => status switch
    {
        200 => "OK",
        301 => "Moved Permanently",
        400 => "Bad Request",
        403 => "Forbidden",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        503 => "Service Unavailable",
        _ => "Status",
    };

    private static async Task<RecordedRequest?> ReadRequestAsync(NetworkStream stream)
    {
        var buffer = new List<byte>();
        var one = new byte[1];
        while (true)
        {
            if (await stream.ReadAsync(one) == 0) return null;
            buffer.Add(one[0]);
            var n = buffer.Count;
            if (n >= 4 && buffer[n - 4] == '\r' && buffer[n - 3] == '\n' && buffer[n - 2] == '\r' && buffer[n - 1] == '\n') break;
        }
        var lines = Encoding.UTF8.GetString([.. buffer]).Split("\r\n");
        var parts = lines[0].Split(' ');
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var line in lines.Skip(1).Where(l => l.Length > 0))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            headers[line[..colon].Trim()] = line[(colon + 1)..].Trim();
        }
        var body = new byte[headers.TryGetValue("Content-Length", out var cl) ? int.Parse(cl, System.Globalization.CultureInfo.InvariantCulture) : 0];
        var read = 0;
        while (read < body.Length)
        {
            var got = await stream.ReadAsync(body.AsMemory(read));
            if (got == 0) break;
            read += got;
        }
        return new RecordedRequest(parts[0], parts[1], headers, body);
    }
}
