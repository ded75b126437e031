using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using CloudInventory.Aws.Endpoints;
using CloudInventory.Aws.Models;
using CloudInventory.Simulator.Protocols;
using CloudInventory.Simulator.World;

namespace CloudInventory.Simulator.Server;

/// <summary>
/// Answers one simulated AWS request, transport aside: authentication, routing, the world's data,
/// pagination and injected faults. Deterministic for a given request, seed and date, except for the
/// faults, which draw from their own seeded sequence.
/// </summary>
internal sealed class SimulatedResponder
{
    private static readonly ConcurrentDictionary<string, string?> s_globalRegion = new(StringComparer.Ordinal);

    /// <summary>
    /// The one region a global service is signed for (us-east-1 for IAM, us-west-2 for Global Accelerator), or
    /// null for a regional service: the client engine's endpoint rules decide, so both sides agree. STS is
    /// answered from any region too (its global endpoint still exists).
    /// </summary>
    private static string? GlobalRegion(ServiceModel service) => s_globalRegion.GetOrAdd(service.Name, _ =>
        service.Name == "sts" ? "us-east-1"
        : AwsEndpointResolver.Default.Resolve(service, "eu-west-3").SigningRegion is var signing && signing != "eu-west-3" ? signing : null);

    private readonly SimulatorOptions _options;
    private readonly OperationRouter _router;
    private readonly ShapeValueGenerator _generator = new();
    private readonly Random _faults;
    private readonly Lock _faultLock = new();
    private readonly PagedResultCache<WorldOutput> _pages;

    // How many values were written malformed, per (account, region, service:Operation, member path).
    private readonly ConcurrentDictionary<(string AccountId, string Region, string Operation, string MemberPath), long> _malformed = new();

    public SimulatedResponder(SimulatorOptions options, SimulatedWorld world, AwsModelBundle bundle)
    {
        _options = options;
        World = world;
        _router = new OperationRouter(bundle);
        _faults = new Random(unchecked((int)options.Seed));
        _pages = new PagedResultCache<WorldOutput>(Math.Max(1, options.PagedResultCacheSize));
    }

    public SimulatedWorld World { get; }

    /// <summary>The world's current date.</summary>
    public DateOnly Date { get; set; }

    /// <summary>What to do with a request: answer, hang (a timeout), or cut the answer short.</summary>
    public enum Fault { None, Timeout, Truncate }

    public (SimulatedResponse Response, Fault Fault, string? Service, string? Operation) Respond(SimulatedRequest request)
    {
        var requestId = RequestId(request);
        var scope = SigV4Scope.Parse(request.Headers.GetValueOrDefault("Authorization"));
        if (scope is null)
        {
            return (UnsignedError(request, requestId), Fault.None, null, null);
        }
        var (match, service, code, message) = _router.Route(scope.Service, request);
        if (service is null)
        {
            return (ResponseWriter.WriteError(AwsModelBundle.Default.GetService("sts"), 403, code!, message!, requestId), Fault.None, null, null);
        }
        if (match is null)
        {
            return (ResponseWriter.WriteError(service, 400, code!, message!, requestId), Fault.None, service.Name, null);
        }
        var operation = match.Operation;
        var account = SimulatedCredentials.AccountOf(scope.AccessKeyId) is { } id ? World.FindAccount(id) : null;
        if (account is null)
        {
            return (ResponseWriter.WriteError(service, 403, service.Protocol == AwsProtocol.Ec2 ? "AuthFailure" : "InvalidClientTokenId",
                "The security token included in the request is invalid.", requestId), Fault.None, service.Name, operation.Name);
        }
        if (SignatureCheck.Verify(request, scope, SimulatedCredentials.SecretFor(scope.AccessKeyId, World.Seed)) is { } mismatch)
        {
            return (ResponseWriter.WriteError(service, 403, "SignatureDoesNotMatch", mismatch, requestId), Fault.None, service.Name, operation.Name);
        }
        if (GlobalRegion(service) is null && !World.Regions.Contains(scope.Region))
        {
            return (ResponseWriter.WriteError(service, 401, service.Protocol == AwsProtocol.Ec2 ? "AuthFailure" : "UnrecognizedClientException",
                "AWS was not able to validate the provided access credentials", requestId), Fault.None, service.Name, operation.Name);
        }
        if (!IsReadOperation(operation))
        {
            return (ResponseWriter.WriteError(service, 400, "UnsupportedOperation",
                $"The simulator serves read operations only; {operation.Name} is not one.", requestId), Fault.None, service.Name, operation.Name);
        }
        if (_options.AccessDenied.Contains((account.Id, service.Name)) || _options.AccessDenied.Contains(("*", service.Name)))
        {
            var (status, denied) = AccessDeniedCode(service);
            return (ResponseWriter.WriteError(service, status, denied,
                $"User: arn:aws:iam::{account.Id}:user/inventory is not authorized to perform: {service.EndpointPrefix}:{operation.Name}", requestId), Fault.None, service.Name, operation.Name);
        }
        var fault = DrawFault(out var faultResponse, service, requestId);
        if (faultResponse is not null) return (faultResponse, Fault.None, service.Name, operation.Name);

        try
        {
            var input = RequestParser.ParseInput(operation, request, match.UriLabels);
            var token = ReadToken(operation, input);
            var pageSize = PageSize(operation, input);
            input = WithoutPaging(operation, input);
            var worldRequest = new WorldRequest(operation, account.Id, GlobalRegion(service) ?? scope.Region, Date, input, _generator);
            var (output, streamed) = PagedOutput(worldRequest, token, pageSize) ?? (World.Handle(worldRequest), null);
            // STS is never damaged: its credentials are parsed by the AWS SDK itself, which is strict.
            var faults = _options.MalformedRate > 0 && service.Name != "sts"
                ? new ScalarFaults(_options.MalformedRate, $"{_options.Seed}/{account.Id}/{requestId}", ScalarFaults.ProtectedMembers(operation))
                : null;
            var response = ResponseWriter.Write(operation, output, requestId, streamed, faults);
            foreach (var path in faults?.Damaged ?? [])
            {
                _malformed.AddOrUpdate((account.Id, worldRequest.Region, $"{service.Name}:{operation.Name}", path), 1, (_, n) => n + 1);
            }
            return (response, fault, service.Name, operation.Name);
        }
        catch (SimulatedRedirect e)
        {
            var redirect = ResponseWriter.WriteError(service, 301, "PermanentRedirect",
                "The bucket you are attempting to access must be addressed using the specified endpoint. Please send all future requests to this endpoint.", requestId);
            return (redirect with { Headers = [.. redirect.Headers, new("x-amz-bucket-region", e.Region)] }, Fault.None, service.Name, operation.Name);
        }
        catch (SimulatedError e)
        {
            return (ResponseWriter.WriteError(service, e.Status, e.Code, e.Message, requestId), Fault.None, service.Name, operation.Name);
        }
        catch (Exception e) when (e is FormatException or InvalidOperationException or System.Text.Json.JsonException or System.Xml.XmlException)
        {
            return (ResponseWriter.WriteError(service, 400, service.Protocol is AwsProtocol.Query or AwsProtocol.Ec2 ? "InvalidParameterValue" : "ValidationException",
                $"Invalid request: {e.Message}", requestId), Fault.None, service.Name, operation.Name);
        }
    }

    /// <summary>How many values were written malformed, per (account, region, service:Operation, member path).</summary>
    public IReadOnlyDictionary<(string AccountId, string Region, string Operation, string MemberPath), long> MalformedValuesWritten() =>
        _malformed.ToDictionary(kv => kv.Key, kv => kv.Value);

    /// <summary>True for the read verbs the simulator serves.</summary>
    public static bool IsReadOperation(Operation operation) =>
        operation.Name.StartsWith("List", StringComparison.Ordinal) || operation.Name.StartsWith("Describe", StringComparison.Ordinal)
        || operation.Name.StartsWith("Get", StringComparison.Ordinal) || operation.Name is "AssumeRole" or "AssumeRoleWithWebIdentity";

    private SimulatedResponse UnsignedError(SimulatedRequest request, string requestId)
    {
        if (request.Headers.ContainsKey("X-Amz-Target"))
        {
            var body = Encoding.UTF8.GetBytes("{\"__type\":\"MissingAuthenticationTokenException\",\"message\":\"Missing Authentication Token\"}");
            return new SimulatedResponse(400, [new("Content-Type", "application/x-amz-json-1.1"), new("x-amzn-RequestId", requestId)], body);
        }
        var xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><ErrorResponse><Error><Type>Sender</Type><Code>MissingAuthenticationToken</Code>"
            + "<Message>Request is missing Authentication Token</Message></Error><RequestId>" + requestId + "</RequestId></ErrorResponse>";
        return new SimulatedResponse(403, [new("Content-Type", "text/xml")], Encoding.UTF8.GetBytes(xml));
    }

    private static (int Status, string Code) AccessDeniedCode(ServiceModel service) => service.Protocol switch
    {
        AwsProtocol.Ec2 => (403, "UnauthorizedOperation"),
        AwsProtocol.Query => (403, "AccessDenied"),
        AwsProtocol.RestXml => (403, "AccessDenied"),
        _ => (400, "AccessDeniedException"),
    };

    private static (int Status, string Code) ThrottlingCode(ServiceModel service) => service.Protocol switch
    {
        AwsProtocol.Ec2 => (503, "RequestLimitExceeded"),
        AwsProtocol.Query => (400, "Throttling"),
        AwsProtocol.RestXml => (503, "SlowDown"),
        AwsProtocol.RestJson => (429, "TooManyRequestsException"),
        _ => (400, "ThrottlingException"),
    };

    private Fault DrawFault(out SimulatedResponse? response, ServiceModel service, string requestId)
    {
        response = null;
        double u;
        lock (_faultLock) u = _faults.NextDouble();
        if ((u -= _options.ThrottleRate) < 0)
        {
            var (status, code) = ThrottlingCode(service);
            response = ResponseWriter.WriteError(service, status, code, "Rate exceeded", requestId);
            return Fault.None;
        }
        if ((u -= _options.ErrorRate) < 0)
        {
            response = ResponseWriter.WriteError(service, 503, "ServiceUnavailable", "Service is unavailable. Please try again.", requestId);
            return Fault.None;
        }
        if ((u -= _options.TimeoutRate) < 0) return Fault.Timeout;
        if ((u -= _options.TruncateRate) < 0) return Fault.Truncate;
        return Fault.None;
    }

    private string RequestId(SimulatedRequest request)
    {
        var key = new StringBuilder().Append(_options.Seed).Append('/').Append(Date).Append('/').Append(request.Method).Append(' ').Append(request.RawPath);
        foreach (var (k, v) in request.Query) key.Append('&').Append(k).Append('=').Append(v);
        key.Append(request.Headers.GetValueOrDefault("X-Amz-Target")).Append('|').Append(Encoding.UTF8.GetString(request.Body));
        var hex = StableHash.Hex(key.ToString(), 32);
        return $"{hex[..8]}-{hex[8..12]}-{hex[12..16]}-{hex[16..20]}-{hex[20..32]}";
    }

    // ---- pagination ----

    private static int? ReadToken(Operation operation, JsonObject input)
    {
        if (operation.Paginator is not { IsPaged: true } p) return null;
        if (input[p.InputTokens[0]] is not JsonValue v || !v.TryGetValue<string>(out var token) || token.Length == 0) return null;
        try
        {
            var text = Encoding.UTF8.GetString(Convert.FromBase64String(token));
            if (text.StartsWith("sim:", StringComparison.Ordinal) && int.TryParse(text.AsSpan(4), NumberStyles.None, CultureInfo.InvariantCulture, out var offset)) return offset;
        }
        catch (FormatException)
        {
        }
        throw new SimulatedError(400, operation.Service.Protocol is AwsProtocol.Ec2 ? "InvalidPaginationToken" : "InvalidNextToken", $"Invalid pagination token: {token}");
    }

    private static JsonObject WithoutPaging(Operation operation, JsonObject input)
    {
        if (operation.Paginator is not { } p) return input;
        var copy = (JsonObject)input.DeepClone();
        foreach (var t in p.InputTokens) copy.Remove(t);
        if (p.LimitKey is { } limit) copy.Remove(limit);
        return copy;
    }

    private int PageSize(Operation operation, JsonObject input) =>
        operation.Paginator?.LimitKey is { } limitKey && input[limitKey] is JsonValue v && v.GetValueKind() == System.Text.Json.JsonValueKind.Number && WireValues.ToInt64(v) is var limit && limit > 0
            ? (int)Math.Min(limit, _options.PageSize)
            : _options.PageSize;

    /// <summary>
    /// The page of a paged listing that starts at item <paramref name="offset"/>, from the cached listing (its records
    /// computed once per account, region, operation, input and date, not once per page), with the next token set
    /// while items remain: the output with an empty list, and the page's items, each built as the response writer
    /// reaches it (null when the output has no list to page); null when the operation is not paged.
    /// </summary>
    internal (JsonObject Output, StreamedList? Items)? PagedOutput(WorldRequest request, int? offset, int pageSize)
    {
        var operation = request.Operation;
        if (operation.Paginator is not { IsPaged: true } p || ShapePaths.ResultList(operation) is not { } resultList) return null;
        var key = string.Join('|', request.AccountId, request.Region, operation.Service.Name, operation.Name,
            request.Date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), request.Input.ToJsonString());
        var entry = _pages.GetOrAdd(key, () =>
        {
            var answer = World.Answer(request);
            if (answer.Listing is { } lazy && lazy.ListPath == resultList) return answer;
            // Built whole (or listed under another path): split the list off the output, to clone a page at a time.
            var full = answer.ToJson();
            return WorldListing.Split(full, resultList) is { } split ? split : WorldOutput.FromWhole(full);
        });
        if (entry.Listing is not { } listing)
        {
            // No list to page: the output as the world gave it.
            lock (entry) return ((JsonObject)entry.Whole!.DeepClone(), null);
        }
        var count = listing.Count;
        var start = Math.Min(offset ?? 0, count);
        var end = Math.Min(start + pageSize, count);
        var (output, list, items) = listing.Stream(start, end);
        // A paginator with several result lists (DescribeAlarms: MetricAlarms and CompositeAlarms) pages the first;
        // the others come whole with the first page, not again with every page.
        if (start > 0)
        {
            foreach (var other in p.ResultKeys.Skip(1).Where(k => !k.Contains('[', StringComparison.Ordinal) && k != resultList)) ShapePaths.Set(output, other, null);
        }
        var more = end < count;
        foreach (var tokenPath in p.OutputTokens)
        {
            var simple = tokenPath.Split("||")[0].Trim();
            if (simple.Contains('[', StringComparison.Ordinal)) continue;
            if (more) ShapePaths.Set(output, simple, Convert.ToBase64String(Encoding.UTF8.GetBytes("sim:" + end.ToString(CultureInfo.InvariantCulture))));
            else if (ShapePaths.Get(output, simple) is not null) ShapePaths.Set(output, simple, null);
        }
        if (p.MoreResults is { } moreResults) ShapePaths.Set(output, moreResults, more);
        CleanNulls(output);
        return (output, new StreamedList(list, items));
    }

    private static void CleanNulls(JsonObject obj)
    {
        foreach (var key in obj.Where(kv => kv.Value is null).Select(kv => kv.Key).ToList()) obj.Remove(key);
        foreach (var (_, v) in obj) if (v is JsonObject o) CleanNulls(o);
    }
}
