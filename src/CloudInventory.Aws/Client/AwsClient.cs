using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using Amazon.Runtime.CredentialManagement;
using CloudInventory.Aws.Client.Internal;
using CloudInventory.Aws.Credentials;
using CloudInventory.Aws.Endpoints;
using CloudInventory.Aws.Models;
using CloudInventory.Aws.Protocols;
using CloudInventory.Aws.Signing;
using CloudInventory.Text;

namespace CloudInventory.Aws.Client;

/// <summary>
/// The generic, model-driven AWS client: serializes an operation's input from its model, resolves
/// the endpoint, signs with SigV4, sends with retries and rate limiting, and streams the output into
/// an <see cref="IShapeVisitor"/>; pages through paginated operations.
/// </summary>
public sealed class AwsClient : IDisposable
{
    private static readonly HashSet<string> s_contentHeaders = new(StringComparer.OrdinalIgnoreCase)
    {
        "Content-Type", "Content-MD5", "Content-Encoding", "Content-Language", "Content-Disposition", "Content-Range", "Expires", "Last-Modified",
    };

    private readonly AwsClientOptions _options;
    private readonly IAwsWireProtocol _protocol;
    private readonly HttpClient _http;
    private readonly bool _ownsHttp;
    private readonly AwsCredentialSource _credentials;
    private readonly AwsModelBundle _models;
    private readonly AwsEndpointResolver _endpoints;
    private readonly AwsRetryPolicy _retry;
    private readonly AwsResponseBuffers _buffers;
    private readonly ConcurrentDictionary<string, string> _bucketRegions = new(StringComparer.Ordinal);

    /// <summary>Creates a client.</summary>
    /// <exception cref="InvalidOperationException">No region is given or configured.</exception>
    public AwsClient(AwsClientOptions? options = null)
        : this(options, ModelDrivenWireProtocol.Instance)
    {
    }

    internal AwsClient(AwsClientOptions? options, IAwsWireProtocol protocol)
    {
        _options = options ?? new AwsClientOptions();
        _protocol = protocol;
        Region = ResolveRegion(_options);
        _credentials = _options.Credentials ?? AwsCredentialSource.Default(_options.Profile);
        _models = _options.Models ?? AwsModelBundle.Default;
        _endpoints = _options.EndpointResolver ?? AwsEndpointResolver.Default;
        _retry = new AwsRetryPolicy(_options.Retry);
        _buffers = _options.ResponseBuffers ?? AwsResponseBuffers.Shared;
        if (_options.HttpClient is { } http)
        {
            _http = http;
        }
        else
        {
            _http = new HttpClient(_options.HttpHandler ?? new SocketsHttpHandler
            {
                AllowAutoRedirect = false,
                AutomaticDecompression = System.Net.DecompressionMethods.All,
                PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            }, disposeHandler: true)
            {
                Timeout = Timeout.InfiniteTimeSpan,
            };
            _ownsHttp = true;
        }
    }

    /// <summary>The region requests go to (unless a service is global or an S3 bucket lives elsewhere).</summary>
    public string Region { get; }

    /// <summary>Finds an operation of a service, ignoring case.</summary>
    /// <exception cref="AwsModelException">The service or operation does not exist (the message suggests a near name).</exception>
    public Operation GetOperation(string service, string operation)
    {
        var model = _models.GetService(service);
        return model.FindOperation(operation) ?? throw new AwsModelException(
            $"{model.Name} has no operation '{operation}'"
            + (EditDistance.Closest(operation, model.Operations.Keys) is { } near ? $" (did you mean '{near}'?)" : "")
            + $"; `cloudinv aws operations {model.Name}` lists them");
    }

    /// <summary>Calls an operation once (one page) and streams its output into <paramref name="visitor"/>.</summary>
    /// <exception cref="AwsApiException">AWS answered with an error, or could not be reached after all attempts.</exception>
    /// <exception cref="AwsProtocolException">A response could not be read.</exception>
    /// <exception cref="AwsRequestException">The input does not fit the operation.</exception>
    /// <exception cref="AwsCredentialsException">No credentials could be resolved.</exception>
    /// <exception cref="AwsModelException">The service or operation does not exist.</exception>
    public Task<AwsPage> CallAsync(string service, string operation, JsonObject? input, IShapeVisitor visitor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(visitor);
        var op = GetOperation(service, operation);
        return SendAsync(op, input, visitor, 1, cancellationToken);
    }

    /// <summary>
    /// Pages through an operation with its paginator, each page's output streamed into a visitor from
    /// <paramref name="visitorFactory"/>; stops when the output tokens are absent, empty or repeated, or
    /// <c>more_results</c> is false. Operations without a paginator give one page.
    /// </summary>
    public async IAsyncEnumerable<AwsPage> PaginateAsync(string service, string operation, JsonObject? input, Func<IShapeVisitor> visitorFactory,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(visitorFactory);
        var op = GetOperation(service, operation);
        var paginator = op.Paginator is { IsPaged: true } p ? p : null;
        var request = (JsonObject?)JsonInput.Clone(input) ?? [];
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var number = 1; ; number++)
        {
            var page = await SendAsync(op, request, visitorFactory(), number, cancellationToken).ConfigureAwait(false);
            yield return page;
            if (paginator is null || page.NextTokens is null) yield break;
            if (!seen.Add(page.NextTokens.ToJsonString())) yield break;
            foreach (var name in paginator.InputTokens) request.Remove(name);
            foreach (var (name, value) in page.NextTokens) request[name] = JsonInput.Clone(value);
        }
    }

    /// <summary>Pages through an operation (see the other overload), streaming every page into one visitor.</summary>
    public IAsyncEnumerable<AwsPage> PaginateAsync(string service, string operation, JsonObject? input, IShapeVisitor visitor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(visitor);
        return PaginateAsync(service, operation, input, () => visitor, cancellationToken);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (_ownsHttp) _http.Dispose();
    }

    private async Task<AwsPage> SendAsync(Operation operation, JsonObject? input, IShapeVisitor visitor, int number, CancellationToken cancellationToken)
    {
        var service = operation.Service;
        var request = _protocol.Serialize(operation, input);
        request.Headers["User-Agent"] = _options.UserAgent;
        var bucket = service.Name == "s3" && input?["Bucket"] is JsonValue b && b.TryGetValue<string>(out var name) ? name : null;
        var region = bucket is not null && _bucketRegions.TryGetValue(bucket, out var known) ? known : Region;
        var endpoint = _endpoints.Resolve(service, region, _options.EndpointUrl);
        var paginator = operation.Paginator is { IsPaged: true } p ? p : null;
        var redirected = false;

        for (var attempt = 1; ; attempt++)
        {
            var scope = new AwsRateLimitScope(_options.AccountId, endpoint.SigningRegion, service.Name);
            if (_options.RateLimiter is { } limiter) await limiter.AcquireAsync(scope, cancellationToken).ConfigureAwait(false);
            var credentials = await _credentials.GetCredentialsAsync(cancellationToken).ConfigureAwait(false);

            AwsHttpResponse response;
            AwsResponseBuffers.Lease body;
            try
            {
                (response, body) = await ExchangeAsync(request, endpoint, credentials, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (!cancellationToken.IsCancellationRequested && (AwsRetryPolicy.IsTransient(e) || e is OperationCanceledException))
            {
                var kind = e is OperationCanceledException or TimeoutException ? "Timeout" : "ConnectionError";
                var message = e is OperationCanceledException ? $"no response within {_options.AttemptTimeout.TotalSeconds:0.#} s" : Innermost(e).Message;
                if (attempt >= _retry.MaxAttempts)
                {
                    throw new AwsApiException(service.Name, operation.Name, null, kind, $"{message} (after {attempt} attempts)", null, attempt, false, e);
                }
                await _retry.Options.DelayAsync(_retry.Backoff(attempt, AwsRetryReason.Transient, null), cancellationToken).ConfigureAwait(false);
                continue;
            }

            AwsServiceError error;
            // The body's buffer goes back to the shared budget as soon as the body has been read (before any retry delay).
            using (body)
            {
                if (!_protocol.IsError(response))
                {
                    PaginationTee? tee = null;
                    if (paginator is not null)
                    {
                        var expressions = paginator.OutputTokens.Select(PaginatorExpression.Parse).ToList();
                        if (paginator.MoreResults is { } more) expressions.Add(PaginatorExpression.Parse(more));
                        tee = new PaginationTee(visitor, expressions);
                    }
                    _protocol.ReadOutput(operation, response, tee ?? visitor);
                    var next = tee is null ? null : NextTokens(paginator!, tee);
                    return new AwsPage(number, visitor, response.StatusCode, RequestId(response, null), attempt, endpoint.SigningRegion, next);
                }
                error = ReadError(operation, response);
            }
            if (bucket is not null && _options.FollowS3BucketRegion && !redirected
                && response.Headers.TryGetValue("x-amz-bucket-region", out var bucketRegion)
                && !string.IsNullOrWhiteSpace(bucketRegion) && bucketRegion != endpoint.SigningRegion
                && (response.StatusCode is 301 or 307 || error.Code is "PermanentRedirect" or "AuthorizationHeaderMalformed" or "IllegalLocationConstraintException"))
            {
                // The bucket lives in another region: call (and sign for) that region, once, without counting a retry.
                _bucketRegions[bucket] = bucketRegion.Trim();
                endpoint = _endpoints.Resolve(service, bucketRegion.Trim(), _options.EndpointUrl);
                redirected = true;
                attempt--;
                continue;
            }

            var reason = AwsRetryPolicy.Classify(response.StatusCode, error.Code);
            if (reason == AwsRetryReason.None || attempt >= _retry.MaxAttempts)
            {
                throw new AwsApiException(service.Name, operation.Name, response.StatusCode, error.Code, error.Message,
                    RequestId(response, error), attempt, reason == AwsRetryReason.Throttling);
            }
            var retryAfter = response.Headers.TryGetValue("Retry-After", out var ra) ? AwsRetryPolicy.ParseRetryAfter(ra, _options.Clock.GetUtcNow()) : null;
            if (reason == AwsRetryReason.Throttling) _options.RateLimiter?.OnThrottled(scope, retryAfter);
            await _retry.Options.DelayAsync(_retry.Backoff(attempt, reason, retryAfter), cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<(AwsHttpResponse Response, AwsResponseBuffers.Lease Body)> ExchangeAsync(AwsHttpRequest request, AwsEndpoint endpoint,
        Amazon.Runtime.ImmutableCredentials credentials, CancellationToken cancellationToken)
    {
        var baseUrl = endpoint.WithHostPrefix(request.HostPrefix);
        var basePath = baseUrl.AbsolutePath.TrimEnd('/');
        var path = basePath + request.Path;
        var signature = AwsSigV4Signer.Sign(request.Method, baseUrl.Authority, path, request.Query, request.Headers, request.Body, credentials,
            new AwsSigningParameters(endpoint.SigningRegion, endpoint.SigningName, _options.Clock.GetUtcNow()));
        var pathAndQuery = basePath + request.PathAndQuery;
        using var message = new HttpRequestMessage(new HttpMethod(request.Method), new Uri(baseUrl.GetLeftPart(UriPartial.Authority) + pathAndQuery));
        if (request.Body.Length > 0 || request.Method is "POST" or "PUT" || request.Headers.ContainsKey("Content-Type"))
        {
            message.Content = new ByteArrayContent(request.Body);
            message.Content.Headers.ContentType = null;
        }
        foreach (var (name, value) in request.Headers.Concat(signature.Headers))
        {
            if (name.Equals("Host", StringComparison.OrdinalIgnoreCase) || name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase)) continue;
            if (s_contentHeaders.Contains(name))
            {
                message.Content ??= new ByteArrayContent([]);
                message.Content.Headers.TryAddWithoutValidation(name, value);
            }
            else
            {
                message.Headers.TryAddWithoutValidation(name, value);
            }
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_options.AttemptTimeout);
        using var response = await _http.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, timeout.Token).ConfigureAwait(false);
        var expected = response.Content.Headers.ContentLength;
        // Waiting for the shared budget is not the server's delay: it is not counted against the attempt.
        var lease = await _buffers.RentAsync(expected ?? 64 * 1024, cancellationToken).ConfigureAwait(false);
        try
        {
            timeout.CancelAfter(_options.AttemptTimeout);
            var read = await ReadBodyAsync(response.Content, lease, timeout.Token).ConfigureAwait(false);
            if (expected is { } length && read != length) throw new IOException($"the response body ended after {read} of {length} bytes");
            var headers = Flatten(response.Headers).Concat(Flatten(response.Content.Headers));
            return (AwsHttpResponse.Create((int)response.StatusCode, headers, lease.Buffer.AsMemory(0, read)), lease);
        }
        catch
        {
            lease.Dispose();
            throw;
        }
    }

    private static async Task<int> ReadBodyAsync(HttpContent content, AwsResponseBuffers.Lease lease, CancellationToken cancellationToken)
    {
        var stream = await content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            var read = 0;
            while (true)
            {
                if (read == lease.Buffer.Length) lease.Grow(read);
                var n = await stream.ReadAsync(lease.Buffer.AsMemory(read), cancellationToken).ConfigureAwait(false);
                if (n == 0) return read;
                read += n;
            }
        }
    }

    private static IEnumerable<KeyValuePair<string, string>> Flatten(HttpHeaders headers) =>
        headers.Select(h => new KeyValuePair<string, string>(h.Key, string.Join(", ", h.Value)));

    private AwsServiceError ReadError(Operation operation, AwsHttpResponse response)
    {
        try
        {
            return _protocol.ReadError(operation, response);
        }
        catch (AwsProtocolException e)
        {
            // Proxies and load balancers answer with HTML; the status still decides whether to retry.
            return new AwsServiceError(response.StatusCode, "", $"unreadable error response ({e.Message})", RequestId(response, null));
        }
    }

    private static JsonObject? NextTokens(Paginator paginator, PaginationTee tee)
    {
        if (paginator.MoreResults is not null)
        {
            var more = tee.Value(paginator.OutputTokens.Count);
            if (more is not JsonValue v || !v.TryGetValue<bool>(out var truncated) || !truncated) return null;
        }
        var next = new JsonObject();
        var any = false;
        for (var i = 0; i < paginator.InputTokens.Count && i < paginator.OutputTokens.Count; i++)
        {
            var value = tee.Value(i);
            if (value is null || (value is JsonValue s && s.TryGetValue<string>(out var text) && text.Length == 0)) continue;
            next[paginator.InputTokens[i]] = JsonInput.Clone(value);
            any = true;
        }
        return any ? next : null;
    }

    private static string? RequestId(AwsHttpResponse response, AwsServiceError? error)
    {
        if (error?.RequestId is { Length: > 0 } id) return id;
        foreach (var header in (string[])["x-amzn-RequestId", "x-amz-request-id", "x-amzn-requestid"])
        {
            if (response.Headers.TryGetValue(header, out var value)) return value;
        }
        return null;
    }

    private static Exception Innermost(Exception e)
    {
        while (e.InnerException is { } inner) e = inner;
        return e;
    }

    private static string ResolveRegion(AwsClientOptions options)
    {
        if (!string.IsNullOrWhiteSpace(options.Region)) return options.Region.Trim();
        foreach (var variable in (string[])["AWS_REGION", "AWS_DEFAULT_REGION"])
        {
            if (Environment.GetEnvironmentVariable(variable) is { Length: > 0 } value) return value.Trim();
        }
        var profile = options.Profile ?? Environment.GetEnvironmentVariable("AWS_PROFILE") ?? "default";
        try
        {
            if (new CredentialProfileStoreChain().TryGetProfile(profile, out var p) && p.Region is { } r) return r.SystemName;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidOperationException or ArgumentException)
        {
            // An unreadable config file only means no region from it.
        }
        throw new InvalidOperationException("no AWS region: pass --region, or set AWS_REGION or a region in the profile");
    }
}
