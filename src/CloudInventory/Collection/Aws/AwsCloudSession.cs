using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using CloudInventory.Aws.Client;
using CloudInventory.Aws.Credentials;
using CloudInventory.Aws.Protocols;
using CloudInventory.Catalog;
using CloudInventory.Collection.Internal;
using CloudInventory.Storage;
using CloudInventory.Text;
using static CloudInventory.Collection.Aws.AwsCloudProvider;

namespace CloudInventory.Collection.Aws;

/// <summary>The AWS provider connected for one run: one HTTP client, one rate limiter, an <see cref="AwsClient"/> per (account, region).</summary>
internal sealed class AwsCloudSession : ICloudSession
{
    private readonly CollectOptions _options;
    private readonly RunContext _run;
    private readonly AdaptiveRateLimiter _limiter;
    private readonly MeteredRateLimiter _metered;
    private readonly HttpClient _http;
    private readonly AwsCredentialSource _baseCredentials;
    private readonly ConcurrentDictionary<(string Account, string Region), AwsClient> _clients = new();
    private readonly Dictionary<string, AwsCredentialSource> _accountCredentials = new(StringComparer.Ordinal);
    private readonly WorkUnitCollector _fetcher;
    private readonly ConcurrentDictionary<string, AccountNotEntered> _notEntered = new(StringComparer.Ordinal);
    private IReadOnlyList<string>?[] _regionsByAccount = [];
    private string _caller = "";

    public AwsCloudSession(CollectOptions options, RunContext run)
    {
        _options = options;
        _run = run;
        _limiter = new AdaptiveRateLimiter(options.RateMultiplier);
        _metered = new MeteredRateLimiter(_limiter);
        _http = new HttpClient(new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            AutomaticDecompression = System.Net.DecompressionMethods.All,
            MaxConnectionsPerServer = Math.Max(16, options.Concurrency * 2),
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        })
        { Timeout = Timeout.InfiniteTimeSpan };
        _baseCredentials = options.Credentials ?? AwsCredentialSource.Default(options.Profile);
        _fetcher = new WorkUnitCollector(run.Writer, run.Selected, run.Children, run.Errors, run.ReportTime, options.EnrichmentConcurrency);
    }

    public IReadOnlyList<string> Accounts { get; private set; } = [];

    public long ApiCalls => _fetcher.ApiCalls;

    public long Throttles => _limiter.Throttles;

    public IReadOnlyDictionary<string, long> ThrottlesByService => _metered.ThrottlesByService;

    private AwsRetryOptions Retry => _options.Retry ?? new AwsRetryOptions { MaxAttempts = _options.MaxAttempts };

    /// <summary>Checks the credentials, resolves the accounts, enters each one and finds its regions.</summary>
    public async Task EnterAsync(CancellationToken cancellationToken)
    {
        // Who are we? Invalid credentials stop the run here, before any work.
        var home = new AwsClient(new AwsClientOptions
        {
            Region = _options.HomeRegion, Credentials = _baseCredentials, EndpointUrl = _options.EndpointUrl, HttpClient = _http,
            Retry = Retry, AttemptTimeout = _options.AttemptTimeout,
        });
        _clients[("", _options.HomeRegion)] = home;
        try
        {
            var identity = await CallAsync(home, "sts", "GetCallerIdentity", null, cancellationToken).ConfigureAwait(false);
            _caller = identity?["Account"]?.GetValue<string>() ?? throw new CollectionException("STS GetCallerIdentity returned no account");
        }
        catch (AwsApiException e) when (!e.IsAccessDenied)
        {
            throw Unavailable(e);
        }
        catch (Exception e) when (e is AwsApiException or AwsCredentialsException or AwsProtocolException)
        {
            throw new CollectionException($"the AWS credentials ({_baseCredentials.Description}) do not work: {e.Message}", e);
        }

        try
        {
            Accounts = await AwsAccountScope.ResolveAsync(_options, home, _caller, cancellationToken).ConfigureAwait(false);
            if (_options.Regions is not null) await CheckRegionsExistAsync(home, _options.Regions, cancellationToken).ConfigureAwait(false);
        }
        catch (AwsApiException e) when (!e.IsAccessDenied)
        {
            throw Unavailable(e);
        }
        catch (AwsApiException e)
        {
            throw new CollectionException($"the caller may not read the organisation or its regions: {e.Message}", e);
        }
        foreach (var account in Accounts) _accountCredentials[account] = await CredentialsForAsync(account, cancellationToken).ConfigureAwait(false);
        await FindRegionsAsync(cancellationToken).ConfigureAwait(false);
    }

    public IEnumerable<WorkUnit> Units(IReadOnlyList<Table> roots) =>
        Accounts.Select((account, index) => (Account: account, Regions: _regionsByAccount[index]))
            .Where(a => a.Regions is not null).SelectMany(a => UnitsOf(a.Account, a.Regions!, roots));

    public IReadOnlyList<AccountNotEntered> AccountsNotEntered =>
        Accounts.Where(_notEntered.ContainsKey).Select(a => _notEntered[a]).ToList();

    // Regional units of an account not entered can be named only in the regions asked for (its enabled ones are unknown).
    public IEnumerable<WorkUnit> UnitsNotEntered(IReadOnlyList<Table> roots) =>
        Accounts.Where(_notEntered.ContainsKey).SelectMany(account => UnitsOf(account, _options.Regions ?? [], roots));

    private IEnumerable<WorkUnit> UnitsOf(string account, IReadOnlyList<string> regions, IReadOnlyList<Table> roots)
    {
        foreach (var root in roots)
        {
            // The organisation is read once, from the account that reads it (members are denied).
            if (root.AwsService == "organizations" && account != _caller) continue;
            if (root.Scope == TableScope.Global) yield return new WorkUnit(account, _options.HomeRegion, root);
            else foreach (var region in regions) yield return new WorkUnit(account, region, root);
        }
    }

    public Task<IReadOnlyList<RunManifestTable>> FetchAsync(WorkUnit unit, CancellationToken cancellationToken) =>
        _fetcher.CollectAsync(unit, ClientFor(unit.AccountId, unit.Region), cancellationToken);

    public ValueTask DisposeAsync()
    {
        foreach (var client in _clients.Values) client.Dispose();
        _http.Dispose();
        return ValueTask.CompletedTask;
    }

    private AwsClient ClientFor(string account, string region) => _clients.GetOrAdd((account, region), key => new AwsClient(new AwsClientOptions
    {
        Region = key.Region,
        Credentials = _accountCredentials[key.Account],
        EndpointUrl = _options.EndpointUrl,
        RateLimiter = _metered,
        AccountId = key.Account,
        HttpClient = _http,
        Retry = Retry,
        AttemptTimeout = _options.AttemptTimeout,
    }));

    private async Task<AwsCredentialSource> CredentialsForAsync(string account, CancellationToken cancellationToken)
    {
        if (account == _caller && _options.RoleName is null) return _baseCredentials;
        if (_options.RoleName is null)
        {
            throw new CollectionException($"account {account} is not the caller's account ({_caller}); give --role-name to assume a role in it");
        }
        var source = await _baseCredentials.GetCredentialsAsync(cancellationToken).ConfigureAwait(false);
        var sdkSource = string.IsNullOrEmpty(source.Token)
            ? (Amazon.Runtime.AWSCredentials)new Amazon.Runtime.BasicAWSCredentials(source.AccessKey, source.SecretKey)
            : new Amazon.Runtime.SessionAWSCredentials(source.AccessKey, source.SecretKey, source.Token);
        var assumed = new AssumedRoleCredentials(sdkSource, $"arn:aws:iam::{account}:role/{_options.RoleName}", _options.ExternalId,
            _options.HomeRegion, _options.EndpointUrl, Retry.MaxAttempts);
        return AwsCredentialSource.FromSdk(assumed, $"role {_options.RoleName} in {account}");
    }

    private static async Task CheckRegionsExistAsync(AwsClient home, IReadOnlyList<string> regions, CancellationToken cancellationToken)
    {
        var output = await CallAsync(home, "ec2", "DescribeRegions", new JsonObject { ["AllRegions"] = true }, cancellationToken).ConfigureAwait(false);
        var known = (output?["Regions"]?.AsArray() ?? []).Select(r => r!["RegionName"]!.GetValue<string>()).ToHashSet(StringComparer.Ordinal);
        foreach (var r in regions)
        {
            if (!known.Contains(r))
                throw new CollectionException($"unknown region '{r}'{DidYouMean(EditDistance.Closest(r, known))}; known regions: {string.Join(", ", known.Order(StringComparer.Ordinal))}");
        }
    }

    // Accounts are entered (AssumeRole, then DescribeRegions) concurrently; the units keep the accounts' order.
    private async Task FindRegionsAsync(CancellationToken cancellationToken)
    {
        _regionsByAccount = new IReadOnlyList<string>?[Accounts.Count];
        await Parallel.ForEachAsync(Enumerable.Range(0, Accounts.Count),
            new ParallelOptions { MaxDegreeOfParallelism = _options.Concurrency, CancellationToken = cancellationToken }, async (index, ct) =>
        {
            var account = Accounts[index];
            try
            {
                var output = await CallAsync(ClientFor(account, _options.HomeRegion), "ec2", "DescribeRegions", null, ct).ConfigureAwait(false);
                var enabled = (output?["Regions"]?.AsArray() ?? [])
                    .Where(r => r!["OptInStatus"]?.GetValue<string>() is not "not-opted-in")
                    .Select(r => r!["RegionName"]!.GetValue<string>()).Order(StringComparer.Ordinal).ToList();
                _regionsByAccount[index] = _options.Regions is null ? enabled : _options.Regions.Where(enabled.Contains).ToList();
                CollectorLog.AccountEntered(_run.Logger, account, _regionsByAccount[index]!.Count);
                foreach (var skipped in (_options.Regions ?? []).Where(r => !enabled.Contains(r)))
                {
                    _run.Errors.Add(new CollectionError(account, skipped, null, "ec2:DescribeRegions", "OptInRequired", $"region {skipped} is not enabled for account {account}", 1, null));
                }
            }
            catch (Exception e) when (e is AwsApiException or AwsCredentialsException or AwsProtocolException or Amazon.Runtime.AmazonServiceException or Amazon.Runtime.AmazonClientException)
            {
                var code = e is AwsApiException api ? api.ErrorCode : e is Amazon.Runtime.AmazonServiceException sdk ? sdk.ErrorCode : "CredentialsError";
                var operation = e is AwsApiException ? "ec2:DescribeRegions" : "sts:AssumeRole";
                _run.Errors.Add(new CollectionError(account, "global", null, operation, code ?? "Error", Inner(e).Message, 1, null));
                _notEntered[account] = new AccountNotEntered(account, operation, code ?? "Error");
                CollectorLog.AccountFailed(_run.Logger, account, operation, code ?? "Error", Inner(e).Message);
            }
        }).ConfigureAwait(false);
    }

    /// <summary>A start-up call that failed for want of service (throttling, 5xx, timeouts), not for the credentials: the run could not start; trying later may work.</summary>
    private static CollectionException Unavailable(AwsApiException e) => new(
        $"AWS was {(e.IsThrottling ? "throttling" : "unavailable")} at start-up ({e.Message}); nothing was collected. Try again later, or raise --max-attempts", e);

    private static Exception Inner(Exception e) => e is AggregateException { InnerException: { } inner } ? inner : e;
}
