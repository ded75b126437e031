using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using CloudInventory.Aws.Client;
using CloudInventory.Aws.Credentials;
using CloudInventory.Aws.Protocols;
using CloudInventory.Catalog;
using CloudInventory.Collection.Internal;
using CloudInventory.Storage;
using CloudInventory.Text;

namespace CloudInventory.Collection;

/// <summary>
/// Takes a snapshot: resolves accounts (Organizations, AssumeRole) and regions, plans work units
/// (account, region, table), runs them concurrently under per-service rate limits, writes one Parquet
/// file per table, and publishes the run manifest last, so a query never sees half a run.
/// </summary>
public sealed class InventoryCollector
{
    private readonly TableCatalog _catalog;

    /// <summary>Creates a collector over a catalog (the embedded one by default).</summary>
    public InventoryCollector(TableCatalog? catalog = null) => _catalog = catalog ?? TableCatalog.Default;

    /// <summary>
    /// Asks the C allocator, which the Parquet writer's native code uses, to return freed memory rather than keep
    /// it (at most two glibc arenas; blocks of 128 KiB and more mapped and unmapped). Best called first thing in
    /// a process, before other threads allocate (the CLI does); <see cref="RunAsync"/> calls it too. Once per
    /// process; nothing happens where glibc's <c>mallopt</c> is not available.
    /// </summary>
    public static void ReduceNativeMemoryRetention() => NativeAllocator.PreferReturningMemory();

    /// <summary>Runs a collection.</summary>
    /// <exception cref="CollectionException">The run cannot start (bad options, store, credentials); nothing was written.</exception>
    public async Task<CollectionResult> RunAsync(CollectOptions options, IProgress<CollectionProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        NativeAllocator.PreferReturningMemory();
        var clock = Stopwatch.StartNew();
        var startedAt = DateTimeOffset.UtcNow;
        var reportTime = (options.ReportTime ?? startedAt).ToUniversalTime();
        reportTime = reportTime.AddTicks(-(reportTime.Ticks % TimeSpan.TicksPerMillisecond));
        var reportDate = DateOnly.FromDateTime(reportTime.UtcDateTime);
        var shard = ParseShard(options.Shard);
        var tables = SelectTables(options.Tables);
        if (options.Concurrency < 1) throw new CollectionException($"--concurrency {options.Concurrency} must be at least 1");
        if (options.RunId is { } id && !System.Text.RegularExpressions.Regex.IsMatch(id, "^[0-9]{8}T[0-9]{6}Z-[0-9a-f]{6}$"))
            throw new CollectionException($"--run-id '{id}' must look like 20261125T060000Z-0a1b2c (UTC start time, dash, 6 hex digits)");

        IInventoryStore store;
        try
        {
            if (options.StoreOptions is { } s3 && options.Store.StartsWith("s3://", StringComparison.OrdinalIgnoreCase))
            {
                var location = S3InventoryStoreOptions.FromLocation(options.Store);
                store = new S3InventoryStore(s3 with { Bucket = location.Bucket, Prefix = location.Prefix });
            }
            else
            {
                store = InventoryStores.Open(options.Store);
            }
            await store.EnsureWritableAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is InventoryStoreException or ArgumentException or IOException or UnauthorizedAccessException or FormatException)
        {
            throw new CollectionException($"cannot write to the store '{options.Store}': {e.Message}", e);
        }

        var limiter = new AdaptiveRateLimiter(options.RateMultiplier);
        using var http = new HttpClient(new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            AutomaticDecompression = System.Net.DecompressionMethods.All,
            MaxConnectionsPerServer = Math.Max(16, options.Concurrency * 2),
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        })
        { Timeout = Timeout.InfiniteTimeSpan };
        var baseCredentials = options.Credentials ?? AwsCredentialSource.Default(options.Profile);
        var errors = new ConcurrentBag<CollectionError>();
        var clients = new ConcurrentDictionary<(string Account, string Region), AwsClient>();
        var accountCredentials = new Dictionary<string, AwsCredentialSource>(StringComparer.Ordinal);

        AwsClient ClientFor(string account, string region, AwsCredentialSource credentials) => clients.GetOrAdd((account, region), key => new AwsClient(new AwsClientOptions
        {
            Region = key.Region,
            Credentials = credentials,
            EndpointUrl = options.EndpointUrl,
            RateLimiter = limiter,
            AccountId = key.Account,
            HttpClient = http,
            Retry = options.Retry ?? new AwsRetryOptions { MaxAttempts = options.MaxAttempts },
            AttemptTimeout = options.AttemptTimeout,
        }));

        try
        {
            // Who are we? Invalid credentials stop the run here, before any work.
            var home = new AwsClient(new AwsClientOptions
            {
                Region = options.HomeRegion, Credentials = baseCredentials, EndpointUrl = options.EndpointUrl, HttpClient = http,
                Retry = options.Retry ?? new AwsRetryOptions { MaxAttempts = options.MaxAttempts }, AttemptTimeout = options.AttemptTimeout,
            });
            clients[("", options.HomeRegion)] = home;
            string caller;
            try
            {
                var identity = await CallAsync(home, "sts", "GetCallerIdentity", null, cancellationToken).ConfigureAwait(false);
                caller = identity?["Account"]?.GetValue<string>() ?? throw new CollectionException("STS GetCallerIdentity returned no account");
            }
            catch (Exception e) when (e is AwsApiException or AwsCredentialsException or AwsProtocolException)
            {
                throw new CollectionException($"the AWS credentials ({baseCredentials.Description}) do not work: {e.Message}", e);
            }

            var accounts = await ResolveAccountsAsync(options, home, caller, cancellationToken).ConfigureAwait(false);
            foreach (var account in accounts)
            {
                if (account == caller && options.RoleName is null)
                {
                    accountCredentials[account] = baseCredentials;
                    continue;
                }
                if (options.RoleName is null)
                {
                    throw new CollectionException($"account {account} is not the caller's account ({caller}); give --role-name to assume a role in it");
                }
                var source = await baseCredentials.GetCredentialsAsync(cancellationToken).ConfigureAwait(false);
                var sdkSource = string.IsNullOrEmpty(source.Token)
                    ? (Amazon.Runtime.AWSCredentials)new Amazon.Runtime.BasicAWSCredentials(source.AccessKey, source.SecretKey)
                    : new Amazon.Runtime.SessionAWSCredentials(source.AccessKey, source.SecretKey, source.Token);
                var assumed = new AssumedRoleCredentials(sdkSource, $"arn:aws:iam::{account}:role/{options.RoleName}", options.ExternalId, options.HomeRegion, options.EndpointUrl,
                    (options.Retry ?? new AwsRetryOptions { MaxAttempts = options.MaxAttempts }).MaxAttempts);
                accountCredentials[account] = AwsCredentialSource.FromSdk(assumed, $"role {options.RoleName} in {account}");
            }

            // Regions per account; an account we cannot enter is recorded and skipped.
            var known = options.Regions is null ? null : await KnownRegionsAsync(home, cancellationToken).ConfigureAwait(false);
            if (options.Regions is not null)
            {
                foreach (var r in options.Regions)
                {
                    if (!known!.Contains(r))
                        throw new CollectionException($"unknown region '{r}'{DidYouMean(EditDistance.Closest(r, known))}; known regions: {string.Join(", ", known.Order(StringComparer.Ordinal))}");
                }
            }
            var plan = new List<WorkUnit>();
            var manifestTables = new ConcurrentBag<RunManifestTable>();
            var roots = RootsOf(tables);
            // Accounts are entered (AssumeRole, then DescribeRegions) concurrently; the plan keeps the accounts' order.
            var enabledByAccount = new IReadOnlyList<string>?[accounts.Count];
            await Parallel.ForEachAsync(Enumerable.Range(0, accounts.Count),
                new ParallelOptions { MaxDegreeOfParallelism = options.Concurrency, CancellationToken = cancellationToken }, async (index, ct) =>
            {
                var account = accounts[index];
                try
                {
                    var client = ClientFor(account, options.HomeRegion, accountCredentials[account]);
                    var enabled = await EnabledRegionsAsync(client, ct).ConfigureAwait(false);
                    enabledByAccount[index] = options.Regions is null ? enabled : options.Regions.Where(enabled.Contains).ToList();
                    foreach (var skipped in (options.Regions ?? []).Where(r => !enabled.Contains(r)))
                    {
                        errors.Add(new CollectionError(account, skipped, null, "ec2:DescribeRegions", "OptInRequired", $"region {skipped} is not enabled for account {account}", 1, null));
                    }
                }
                catch (Exception e) when (e is AwsApiException or AwsCredentialsException or AwsProtocolException or Amazon.Runtime.AmazonServiceException or Amazon.Runtime.AmazonClientException)
                {
                    var code = e is AwsApiException api ? api.ErrorCode : e is Amazon.Runtime.AmazonServiceException sdk ? sdk.ErrorCode : "CredentialsError";
                    var operation = e is AwsApiException ? "ec2:DescribeRegions" : "sts:AssumeRole";
                    errors.Add(new CollectionError(account, "global", null, operation, code ?? "Error", Inner(e).Message, 1, null));
                }
            }).ConfigureAwait(false);
            for (var index = 0; index < accounts.Count; index++)
            {
                var account = accounts[index];
                if (enabledByAccount[index] is not { } regions) continue;
                foreach (var root in roots)
                {
                    // The organisation is read once, from the account that reads it (members are denied).
                    if (root.AwsService == "organizations" && account != caller) continue;
                    if (root.Scope == TableScope.Global) plan.Add(new WorkUnit(account, options.HomeRegion, root));
                    else plan.AddRange(regions.Select(r => new WorkUnit(account, r, root)));
                }
            }
            if (shard is { } s) plan = plan.Where(u => (int)(Fnv(u.Key) % (ulong)s.Count) == s.Index - 1).ToList();
            // Fair across accounts: interleave the accounts' units.
            var ordered = plan.GroupBy(u => u.AccountId).SelectMany(g => g.Select((u, i) => (u, i))).OrderBy(x => x.i).ThenBy(x => x.u.AccountId, StringComparer.Ordinal).Select(x => x.u).ToList();

            var runId = options.RunId ?? RunManifest.NewRunId(startedAt);
            var shardLabel = shard is { } sh ? $"{sh.Index}/{sh.Count}" : null;
            using var writer = new RunWriter(runId, shardLabel, reportDate);
            var selected = tables.Select(t => t.Name).ToHashSet(StringComparer.Ordinal);
            var children = ChildrenOf(tables);
            var unitCollector = new WorkUnitCollector(writer, selected, children, errors, reportTime, options.EnrichmentConcurrency);
            var byAccount = ordered.GroupBy(u => u.AccountId).ToDictionary(g => g.Key, g => new int[] { 0, g.Count() }, StringComparer.Ordinal);
            var done = 0;
            long rows = 0;
            void Report()
            {
                if (progress is null) return;
                Dictionary<string, (int, int)> snapshot;
                lock (byAccount) snapshot = byAccount.ToDictionary(kv => kv.Key, kv => (kv.Value[0], kv.Value[1]), StringComparer.Ordinal);
                progress.Report(new CollectionProgress(Volatile.Read(ref done), ordered.Count, snapshot, Interlocked.Read(ref rows),
                    unitCollector.ApiCalls, limiter.Throttles, errors.Count, clock.Elapsed));
            }
            Report();
            await Parallel.ForEachAsync(ordered, new ParallelOptions { MaxDegreeOfParallelism = options.Concurrency, CancellationToken = cancellationToken }, async (unit, ct) =>
            {
                var client = ClientFor(unit.AccountId, unit.Region, accountCredentials[unit.AccountId]);
                var outcome = await unitCollector.CollectAsync(unit, client, ct).ConfigureAwait(false);
                foreach (var t in outcome)
                {
                    manifestTables.Add(t);
                    Interlocked.Add(ref rows, t.Rows);
                }
                Interlocked.Increment(ref done);
                lock (byAccount) byAccount[unit.AccountId][0]++;
                Report();
            }).ConfigureAwait(false);

            // Publish: data files, then errors, then — last — the manifest.
            var files = (await writer.PublishAsync(store, cancellationToken).ConfigureAwait(false)).ToList();
            var errorList = errors.OrderBy(e => e.AccountId, StringComparer.Ordinal).ThenBy(e => e.Region, StringComparer.Ordinal)
                .ThenBy(e => e.Table, StringComparer.Ordinal).ThenBy(e => e.Operation, StringComparer.Ordinal).ToList();
            if (await writer.PublishErrorsAsync(store, errorList, reportTime, cancellationToken).ConfigureAwait(false) is { } errorFile) files.Add(errorFile);
            var entries = manifestTables.OrderBy(t => t.Table, StringComparer.Ordinal).ThenBy(t => t.AccountId, StringComparer.Ordinal)
                .ThenBy(t => t.Region, StringComparer.Ordinal).ToList();
            // Skips (access denied, region not enabled, service not offered there) are recorded but do not make a run partial.
            var anyData = entries.Any(t => t.Status is TableRunStatus.Ok or TableRunStatus.Empty);
            // An account that could not be entered is a failure, whatever the code.
            // Warnings (malformed values read as null) never make a run partial.
            var failures = errorList.Count(e => e.Severity == ErrorSeverity.Error && (!WorkUnitCollector.IsSkip(e.ErrorCode) || e.Operation == "sts:AssumeRole"));
            var status = (ordered.Count == 0 && errorList.Count > 0) || (!anyData && entries.Count > 0) ? RunStatus.Failed
                : failures == 0 ? RunStatus.Complete : RunStatus.Partial;
            var manifest = new RunManifest(runId, shardLabel, reportDate, reportTime, startedAt, DateTimeOffset.UtcNow,
                status, ToolVersion, files, entries, errorList.Count, unitCollector.ApiCalls, limiter.Throttles, clock.ElapsedMilliseconds);
            await store.WriteManifestAsync(manifest, cancellationToken).ConfigureAwait(false);
            Report();
            return new CollectionResult(manifest, errorList, accounts, store.Location);
        }
        finally
        {
            foreach (var client in clients.Values) client.Dispose();
            (store as IDisposable)?.Dispose();
        }
    }

    /// <summary>The tool version written into manifests.</summary>
    public static string ToolVersion { get; } = typeof(InventoryCollector).Assembly.GetName().Version?.ToString(3) ?? "0.0.0";

    /// <summary>The tables matching the globs (curated ones when there are none), with the parents they need.</summary>
    /// <exception cref="CollectionException">A glob matches no table.</exception>
    public IReadOnlyList<Table> SelectTables(IReadOnlyList<string> globs)
    {
        if (globs.Count == 0) return _catalog.Curated.ToList();
        var picked = new List<Table>();
        foreach (var glob in globs)
        {
            // A plain curated name needs no discovery (which parses every service model).
            var matches = !glob.Contains('*', StringComparison.Ordinal) && !glob.Contains('?', StringComparison.Ordinal) && _catalog.Find(glob) is { Origin: TableOrigin.Curated } exact
                ? [exact]
                : _catalog.Tables.Where(t => Glob.IsMatch(t.Name, glob)).ToList();
            if (matches.Count == 0)
            {
                throw new CollectionException($"no table matches '{glob}'{DidYouMean(EditDistance.Closest(glob, _catalog.Tables.Select(t => t.Name)))}; `cloudinv tables` lists them");
            }
            picked.AddRange(matches);
        }
        return picked.Distinct().ToList();
    }

    private IReadOnlyList<Table> RootsOf(IReadOnlyList<Table> tables)
    {
        var roots = new HashSet<Table>();
        foreach (var table in tables)
        {
            var t = table;
            while (t.Parent is { } link) t = _catalog.Find(link.Table) ?? throw new CollectionException($"table {t.Name} has an unknown parent {link.Table}");
            roots.Add(t);
        }
        return roots.OrderBy(t => t.Name, StringComparer.Ordinal).ToList();
    }

    // Children of every table on the way from a root to a selected table.
    private Dictionary<string, IReadOnlyList<Table>> ChildrenOf(IReadOnlyList<Table> tables)
    {
        var needed = new HashSet<Table>();
        foreach (var table in tables)
        {
            for (var t = table; t.Parent is { } link; t = _catalog.Find(link.Table)!) needed.Add(t);
        }
        return needed.GroupBy(t => t.Parent!.Table).ToDictionary(g => g.Key, g => (IReadOnlyList<Table>)g.OrderBy(t => t.Name, StringComparer.Ordinal).ToList(), StringComparer.Ordinal);
    }

    private static async Task<IReadOnlyList<string>> ResolveAccountsAsync(CollectOptions options, AwsClient home, string caller, CancellationToken cancellationToken)
    {
        if (!options.Organization)
        {
            foreach (var a in options.Accounts)
            {
                if (a.Length != 12 || !a.All(char.IsAsciiDigit)) throw new CollectionException($"'{a}' is not an AWS account id (12 digits)");
            }
            return options.Accounts.Count == 0 ? [caller] : options.Accounts.Distinct().ToList();
        }
        try
        {
            var accounts = new List<(string Id, string Status)>();
            await foreach (var page in PagesAsync(home, "organizations", "ListAccounts", null, cancellationToken).ConfigureAwait(false))
            {
                foreach (var a in page?["Accounts"]?.AsArray() ?? []) accounts.Add((a!["Id"]!.GetValue<string>(), a["Status"]?.GetValue<string>() ?? "ACTIVE"));
            }
            IEnumerable<(string Id, string Status)> chosen = accounts;
            if (options.IncludeOrganizationalUnits.Count > 0 || options.ExcludeOrganizationalUnits.Count > 0)
            {
                var placement = await AccountsByOuAsync(home, cancellationToken).ConfigureAwait(false);
                bool Under(string account, IReadOnlyList<string> ous) => placement.TryGetValue(account, out var path) && path.Any(p => ous.Contains(p.Id) || ous.Contains(p.Name));
                if (options.IncludeOrganizationalUnits.Count > 0) chosen = chosen.Where(a => Under(a.Id, options.IncludeOrganizationalUnits));
                chosen = chosen.Where(a => !Under(a.Id, options.ExcludeOrganizationalUnits));
            }
            var active = chosen.Where(a => a.Status == "ACTIVE").Select(a => a.Id).ToList();
            if (options.Accounts.Count > 0) active = active.Where(options.Accounts.Contains).ToList();
            if (active.Count == 0) throw new CollectionException("the organisation has no active account matching the options");
            return active;
        }
        catch (AwsApiException e)
        {
            throw new CollectionException($"cannot list the organisation's accounts (run from the management account or a delegated administrator): {e.Message}", e);
        }
    }

    // For each account, the OUs above it (nearest first), found by walking the organisation from its roots.
    private static async Task<Dictionary<string, List<(string Id, string Name)>>> AccountsByOuAsync(AwsClient home, CancellationToken cancellationToken)
    {
        var result = new Dictionary<string, List<(string, string)>>(StringComparer.Ordinal);
        var roots = await CallAsync(home, "organizations", "ListRoots", null, cancellationToken).ConfigureAwait(false);
        var queue = new Queue<(string ParentId, List<(string, string)> Path)>();
        foreach (var root in roots?["Roots"]?.AsArray() ?? []) queue.Enqueue((root!["Id"]!.GetValue<string>(), []));
        while (queue.Count > 0)
        {
            var (parent, path) = queue.Dequeue();
            await foreach (var page in PagesAsync(home, "organizations", "ListAccountsForParent", new JsonObject { ["ParentId"] = parent }, cancellationToken).ConfigureAwait(false))
            {
                foreach (var a in page?["Accounts"]?.AsArray() ?? []) result[a!["Id"]!.GetValue<string>()] = path;
            }
            await foreach (var page in PagesAsync(home, "organizations", "ListOrganizationalUnitsForParent", new JsonObject { ["ParentId"] = parent }, cancellationToken).ConfigureAwait(false))
            {
                foreach (var ou in page?["OrganizationalUnits"]?.AsArray() ?? [])
                {
                    var id = ou!["Id"]!.GetValue<string>();
                    queue.Enqueue((id, [(id, ou["Name"]?.GetValue<string>() ?? id), .. path]));
                }
            }
        }
        return result;
    }

    private static async Task<HashSet<string>> KnownRegionsAsync(AwsClient home, CancellationToken cancellationToken)
    {
        var output = await CallAsync(home, "ec2", "DescribeRegions", new JsonObject { ["AllRegions"] = true }, cancellationToken).ConfigureAwait(false);
        return (output?["Regions"]?.AsArray() ?? []).Select(r => r!["RegionName"]!.GetValue<string>()).ToHashSet(StringComparer.Ordinal);
    }

    private static async Task<List<string>> EnabledRegionsAsync(AwsClient client, CancellationToken cancellationToken)
    {
        var output = await CallAsync(client, "ec2", "DescribeRegions", null, cancellationToken).ConfigureAwait(false);
        return (output?["Regions"]?.AsArray() ?? [])
            .Where(r => r!["OptInStatus"]?.GetValue<string>() is not "not-opted-in")
            .Select(r => r!["RegionName"]!.GetValue<string>()).Order(StringComparer.Ordinal).ToList();
    }

    private static async Task<JsonObject?> CallAsync(AwsClient client, string service, string operation, JsonObject? input, CancellationToken cancellationToken)
    {
        var tree = new ValueTreeBuilder();
        await client.CallAsync(service, operation, input, tree, cancellationToken).ConfigureAwait(false);
        return tree.Root;
    }

    private static async IAsyncEnumerable<JsonObject?> PagesAsync(AwsClient client, string service, string operation, JsonObject? input,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var page in client.PaginateAsync(service, operation, input, () => new ValueTreeBuilder(), cancellationToken).ConfigureAwait(false))
        {
            yield return ((ValueTreeBuilder)page.Visitor).Root;
        }
    }

    private static (int Index, int Count)? ParseShard(string? shard)
    {
        if (shard is null) return null;
        var parts = shard.Split('/');
        if (parts.Length == 2 && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var k)
            && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= 1 && k >= 1 && k <= n)
        {
            return (k, n);
        }
        throw new CollectionException($"--shard '{shard}' must be k/n with 1 <= k <= n, e.g. 2/4");
    }

    private static ulong Fnv(string text)
    {
        var h = 14695981039346656037UL;
        foreach (var c in text)
        {
            h ^= c;
            h *= 1099511628211UL;
        }
        return h;
    }

    private static Exception Inner(Exception e) => e is AggregateException { InnerException: { } inner } ? inner : e;

    private static string DidYouMean(string? near) => near is null ? "" : $" (did you mean '{near}'?)";
}
