using System.Buffers;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Azure;
using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Identity;
using CloudInventory.Azure.Internal;

namespace CloudInventory.Azure;

/// <summary>
/// The few read-only Resource Manager calls the collector makes, through Azure.Core's <see cref="HttpPipeline"/>
/// (bearer token, retries with <c>Retry-After</c>, 429s and 5xx tried again): subscriptions, management group
/// descendants and Resource Graph queries paged by <c>$skipToken</c> and paced by the per-user quota.
/// </summary>
public sealed class AzureClient
{
    /// <summary>The api-version of <c>GET /subscriptions</c>.</summary>
    public const string SubscriptionsApiVersion = "2022-12-01";

    /// <summary>The api-version of management group descendants.</summary>
    public const string ManagementGroupsApiVersion = "2021-04-01";

    /// <summary>The api-version of Resource Graph queries.</summary>
    public const string ResourceGraphApiVersion = "2024-04-01";

    private readonly HttpPipeline _pipeline;
    private readonly AzureClientOptions _options;
    private readonly Uri _endpoint;
    private readonly AzureCallCounter _counter = new();
    private readonly SemaphoreSlim _pageSlots;

    /// <summary>Creates a client for a credential (one tenant) and an endpoint.</summary>
    /// <exception cref="ArgumentException">The endpoint is not https or the page size is out of range.</exception>
    public AzureClient(TokenCredential credential, AzureClientOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(credential);
        _options = options ?? new AzureClientOptions();
        if (_options.Endpoint.Scheme != Uri.UriSchemeHttps)
        {
            throw new ArgumentException($"the Azure endpoint {_options.Endpoint} is not https; bearer tokens are sent over TLS only");
        }
        if (_options.PageSize is < 1 or > 1000) throw new ArgumentException("the Resource Graph page size must be 1 to 1,000");
        if (_options.MaxPagesInFlight < 1) throw new ArgumentException("the Resource Graph pages held at once must be at least 1");
        _pageSlots = new SemaphoreSlim(_options.MaxPagesInFlight, _options.MaxPagesInFlight);
        _endpoint = new Uri(_options.Endpoint.GetLeftPart(UriPartial.Authority) + "/");
        Quota = ResourceGraphQuota.For(credential, _endpoint);
        var pipelineOptions = new AzurePipelineOptions
        {
            RetryPolicy = new RetryPolicy(_options.MaxRetries, new AzureRetryDelay(_options.MaxRetryDelay)),
        };
        pipelineOptions.Diagnostics.ApplicationId = "cloudinv";
        pipelineOptions.Diagnostics.IsDistributedTracingEnabled = false;
        if (_options.Transport is not null) pipelineOptions.Transport = _options.Transport;
        _pipeline = HttpPipelineBuilder.Build(
            pipelineOptions,
            perCallPolicies: [],
            perRetryPolicies: [new BearerTokenAuthenticationPolicy(credential, _options.EffectiveScope), new ResourceGraphQuotaPolicy(Quota), _counter],
            new ResponseClassifier());
    }

    /// <summary>The HTTP requests this client has sent (every try of every call).</summary>
    public long Calls => _counter.Calls;

    /// <summary>The throttled (429) answers this client has had; the calls were tried again.</summary>
    public long Throttles => _counter.Throttles;

    /// <summary>The quota limiter this client shares with every client of the same credential and endpoint.</summary>
    internal ResourceGraphQuota Quota { get; }

    /// <summary>Every subscription the credential can see (<c>GET /subscriptions</c>, following <c>nextLink</c>).</summary>
    public async IAsyncEnumerable<AzureSubscription> ListSubscriptionsAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await foreach (var item in ListAsync(new Uri(_endpoint, $"subscriptions?api-version={SubscriptionsApiVersion}"), "Subscriptions.List", cancellationToken).ConfigureAwait(false))
        {
            yield return Read(AzureResponseReader.ReadSubscription, item, "Subscriptions.List");
        }
    }

    /// <summary>
    /// Every management group and subscription below a management group, at any depth
    /// (<c>GET …/managementGroups/{id}/descendants</c>, following <c>nextLink</c>).
    /// </summary>
    public async IAsyncEnumerable<AzureManagementGroupEntity> ListManagementGroupDescendantsAsync(string groupId, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(groupId);
        var uri = new Uri(_endpoint, $"providers/Microsoft.Management/managementGroups/{Uri.EscapeDataString(groupId)}/descendants?api-version={ManagementGroupsApiVersion}");
        await foreach (var item in ListAsync(uri, "ManagementGroups.GetDescendants", cancellationToken).ConfigureAwait(false))
        {
            yield return Read(AzureResponseReader.ReadDescendant, item, "ManagementGroups.GetDescendants");
        }
    }

    /// <summary>
    /// A management group with its ancestors (<c>GET …/managementGroups/{id}?$expand=ancestors</c>): its parent and the
    /// names above it, up to the tenant root group.
    /// </summary>
    /// <exception cref="AzureApiException">An error answer after retries (404: no such group, or not readable).</exception>
    public async Task<AzureManagementGroup> GetManagementGroupAsync(string groupId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(groupId);
        const string operation = "ManagementGroups.Get";
        var uri = new Uri(_endpoint, $"providers/Microsoft.Management/managementGroups/{Uri.EscapeDataString(groupId)}?api-version={ManagementGroupsApiVersion}&$expand=ancestors");
        var item = await SendAsync(RequestMethod.Get, uri, null, operation, e => e.Clone(), cancellationToken).ConfigureAwait(false);
        return Read(AzureResponseReader.ReadManagementGroup, item, operation);
    }

    /// <summary>
    /// The rows of a Resource Graph query over some subscriptions, page after page (<c>$skipToken</c> followed to
    /// the end), each row a copy that outlives its page. A page the service marks truncated without a token, or an end
    /// with fewer rows than the service counted, fails the call rather than returning a silently incomplete listing.
    /// </summary>
    /// <exception cref="AzureApiException">An error answer after retries, or an incomplete listing.</exception>
    public async IAsyncEnumerable<JsonElement> QueryAsync(ResourceGraphQuery query, IReadOnlyList<string> subscriptions, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await foreach (var page in QueryPagesAsync(query, subscriptions, cancellationToken).ConfigureAwait(false))
        {
            foreach (var row in page.Rows) yield return row.Clone();
        }
    }

    /// <summary>
    /// As <see cref="QueryAsync"/>, page by page and without copies: a page's rows are elements of its answer's
    /// document, valid until the consumer asks for the next page (the page is then disposed). The next page is asked
    /// for as soon as a page's token is known, so the service answers it while the consumer reads the rows. The pages this
    /// client holds or awaits at once, across every query, are at most <see cref="AzureClientOptions.MaxPagesInFlight"/>:
    /// a request waits for a place before it is sent.
    /// </summary>
    /// <exception cref="AzureApiException">An error answer after retries, or an incomplete listing.</exception>
    internal async IAsyncEnumerable<ResourceGraphPage> QueryPagesAsync(ResourceGraphQuery query, IReadOnlyList<string> subscriptions, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(subscriptions);
        if (subscriptions.Count == 0) yield break;
        const string operation = "ResourceGraph.Resources";
        var uri = new Uri(_endpoint, $"providers/Microsoft.ResourceGraph/resources?api-version={ResourceGraphApiVersion}");
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        string? skipToken = null;
        long received = 0;
        var pages = 0;
        Task<ResourceGraphPage>? pending = SendPageAsync(uri, RequestBody(query, subscriptions, null, _options.PageSize), operation, stop.Token);
        try
        {
            while (true)
            {
                var current = await pending!.ConfigureAwait(false);
                pending = null;
                using var page = current;
                pages++;
                received += page.Rows.Count;
                var next = page.SkipToken;
                if (next is not null)
                {
                    if (next == skipToken) throw new AzureApiException($"page {pages} returned the same $skipToken it was asked for", operation);
                    skipToken = next;
                    pending = SendPageAsync(uri, RequestBody(query, subscriptions, next, _options.PageSize), operation, stop.Token);
                }
                var (truncated, total) = (page.ResultTruncated, page.TotalRecords);
                yield return page;
                if (next is not null) continue;
                if (truncated || received < total)
                {
                    throw new AzureApiException(
                        $"the listing ended after {received} of {total} rows without a $skipToken (resultTruncated={truncated.ToString().ToLowerInvariant()})",
                        operation);
                }
                yield break;
            }
        }
        finally
        {
            // A page asked for and no longer wanted (the consumer stopped, or failed): its request is stopped and its place freed.
            if (pending is not null)
            {
                await stop.CancelAsync().ConfigureAwait(false);
                try
                {
                    (await pending.ConfigureAwait(false)).Dispose();
                }
                catch (Exception e) when (e is OperationCanceledException or AzureApiException)
                {
                    // Nothing was held.
                }
            }
        }
    }

    /// <summary>The JSON body of a Resource Graph request (<c>QueryRequest</c>).</summary>
    internal static byte[] RequestBody(ResourceGraphQuery query, IReadOnlyList<string> subscriptions, string? skipToken, int pageSize)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteStartArray("subscriptions");
            foreach (var s in subscriptions) writer.WriteStringValue(s);
            writer.WriteEndArray();
            writer.WriteString("query", query.Text);
            writer.WriteStartObject("options");
            writer.WriteNumber("$top", pageSize);
            if (skipToken is not null) writer.WriteString("$skipToken", skipToken);
            writer.WriteString("resultFormat", "objectArray");
            writer.WriteEndObject();
            writer.WriteEndObject();
        }
        return buffer.ToArray();
    }

    private async IAsyncEnumerable<JsonElement> ListAsync(Uri first, string operation, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        Uri? next = first;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        while (next is not null)
        {
            if (!seen.Add(next.AbsoluteUri)) throw new AzureApiException($"nextLink {next} repeats an earlier page", operation);
            var (items, nextLink) = await SendAsync(RequestMethod.Get, next, null, operation, AzureResponseReader.ReadList, cancellationToken).ConfigureAwait(false);
            foreach (var item in items) yield return item;
            next = nextLink is null ? null : ResolveNextLink(nextLink, operation);
        }
    }

    /// <summary>A nextLink must stay on the endpoint the user named: a token is never sent elsewhere.</summary>
    private Uri ResolveNextLink(string nextLink, string operation)
    {
        if (!Uri.TryCreate(_endpoint, nextLink, out var uri)
            || !string.Equals(uri.GetLeftPart(UriPartial.Authority), _endpoint.GetLeftPart(UriPartial.Authority), StringComparison.OrdinalIgnoreCase))
        {
            throw new AzureApiException($"nextLink '{nextLink}' leaves the endpoint {_endpoint}", operation);
        }
        return uri;
    }

    private async Task<T> SendAsync<T>(RequestMethod method, Uri uri, byte[]? body, string operation, Func<JsonElement, T> read, CancellationToken cancellationToken)
    {
        using var answer = await SendForDocumentAsync(method, uri, body, operation, null, cancellationToken).ConfigureAwait(false);
        return Read(read, answer.Document!.RootElement, operation);
    }

    // A Resource Graph page: sent once a place among the pages held at once is free; the page gives the place back when disposed.
    private async Task<ResourceGraphPage> SendPageAsync(Uri uri, byte[] body, string operation, CancellationToken cancellationToken)
    {
        await _pageSlots.WaitAsync(cancellationToken).ConfigureAwait(false);
        Answer answer;
        try
        {
            answer = await SendForDocumentAsync(RequestMethod.Post, uri, body, operation, _pageSlots, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            _pageSlots.Release();
            throw;
        }
        try
        {
            return ResourceGraphPage.Read(answer.Document!.RootElement, answer);
        }
        catch (Exception e) when (e is FormatException or InvalidOperationException)
        {
            answer.Dispose();
            throw new AzureApiException(e.Message, operation, e);
        }
    }

    // The answer's parsed body, the caller's to dispose. The body is read into a pooled buffer, not into a new one per
    // answer (a page is megabytes: large-object garbage the GC would keep until a full collection); the document reads
    // that buffer in place, and both are given back when the answer is disposed.
    private async Task<Answer> SendForDocumentAsync(RequestMethod method, Uri uri, byte[]? body, string operation, SemaphoreSlim? slot, CancellationToken cancellationToken)
    {
        // A 200 whose body is cut short or does not parse was damaged on the way: try again a few times.
        for (var attempt = 1; ; attempt++)
        {
            using var message = _pipeline.CreateMessage();
            message.BufferResponse = false;
            var request = message.Request;
            request.Method = method;
            request.Uri.Reset(uri);
            request.Headers.Add("Accept", "application/json");
            if (body is not null)
            {
                request.Headers.Add("Content-Type", "application/json");
                request.Content = RequestContent.Create(body);
            }
            try
            {
                await _pipeline.SendAsync(message, cancellationToken).ConfigureAwait(false);
            }
            catch (AuthenticationFailedException e)
            {
                // No token (wrong secret, no credential in the chain, unknown tenant): a credentials problem, not worth a retry.
                var detail = e.InnerException is { Message: { Length: > 0 } inner } && !e.Message.Contains(inner, StringComparison.Ordinal) ? $"{e.Message.TrimEnd()} {inner}" : e.Message;
                throw new AzureApiException(401, "AuthenticationFailed", detail, operation);
            }
            catch (RequestFailedException e)
            {
                throw new AzureApiException($"no answer: {e.InnerException?.Message ?? e.Message}", operation, e);
            }
            var response = message.Response;
            if (response.Status is < 200 or > 299)
            {
                BinaryData? error = null;
                try
                {
                    if (response.ContentStream is { } errorStream) error = await BinaryData.FromStreamAsync(errorStream, cancellationToken).ConfigureAwait(false);
                }
                catch (IOException)
                {
                    // The error's body was cut short: the status still says what happened.
                }
                var (code, text) = AzureResponseReader.ReadError(response.Status, error);
                throw new AzureApiException(response.Status, code, text, operation);
            }
            var answer = new Answer(slot);
            try
            {
                await answer.ReadAsync(response.ContentStream, response.Headers.ContentLength, cancellationToken).ConfigureAwait(false);
                answer.Parse();
                return answer;
            }
            catch (Exception e) when (e is IOException or JsonException)
            {
                answer.Discard();
                if (attempt <= _options.MaxRetries) continue;
                throw new AzureApiException($"the answer could not be read: {e.Message}", operation, e);
            }
            catch
            {
                answer.Discard();
                throw;
            }
        }
    }

    /// <summary>An answer's body in a pooled buffer, its document, and (for a page) its place among the pages held at once.</summary>
    private sealed class Answer(SemaphoreSlim? slot) : IDisposable
    {
        private byte[]? _buffer;
        private int _length;
        private int _disposed;

        public JsonDocument? Document { get; private set; }

        public async Task ReadAsync(Stream? stream, long? contentLength, CancellationToken cancellationToken)
        {
            _buffer = ArrayPool<byte>.Shared.Rent(contentLength is > 0 and < int.MaxValue ? (int)contentLength + 1 : 64 * 1024);
            if (stream is null) return;
            while (true)
            {
                if (_length == _buffer.Length)
                {
                    var larger = ArrayPool<byte>.Shared.Rent(_buffer.Length * 2);
                    _buffer.AsSpan(0, _length).CopyTo(larger);
                    ArrayPool<byte>.Shared.Return(_buffer);
                    _buffer = larger;
                }
                var read = await stream.ReadAsync(_buffer.AsMemory(_length), cancellationToken).ConfigureAwait(false);
                if (read == 0) break;
                _length += read;
            }
            if (contentLength is { } expected && expected != _length) throw new IOException($"the body ended after {_length} of {expected} bytes");
        }

        public void Parse() => Document = JsonDocument.Parse(_buffer.AsMemory(0, _length));

        // A damaged answer: its buffer goes back, its place stays taken for the next try.
        public void Discard()
        {
            Document?.Dispose();
            Document = null;
            if (_buffer is not null) ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = null;
            _length = 0;
        }

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
            Discard();
            slot?.Release();
        }
    }

    private static T Read<T>(Func<JsonElement, T> read, JsonElement item, string operation)
    {
        try
        {
            return read(item);
        }
        catch (FormatException e)
        {
            throw new AzureApiException(e.Message, operation, e);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            throw new AzureApiException($"the answer could not be read: {e.Message}", operation, e);
        }
    }
}
