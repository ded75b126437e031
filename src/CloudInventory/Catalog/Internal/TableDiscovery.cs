using System.Text.RegularExpressions;
using CloudInventory.Aws.Models;

namespace CloudInventory.Catalog.Internal;

/// <summary>
/// Finds tables the specs do not cover: every paginated List/Describe/Get operation whose input
/// has no required members, in every bundled service, whose rows the paginator's result key
/// names; and every List/Describe operation without a paginator whose output holds exactly one list. A deny list and rules leave out what is not inventory: offerings, prices, public
/// catalogues, engine versions and instance types, event/log/finding/metric streams, history,
/// quotas and defaults, and whole data-plane/runtime services.
/// </summary>
internal static partial class TableDiscovery
{
    /// <summary>Services that hold no inventory (pricing, billing data, support, data planes, runtimes, sign-in).</summary>
    private static readonly HashSet<string> s_deniedServices = new(StringComparer.Ordinal)
    {
        "pricing", "servicequotas", "health", "costexplorer", "cur", "support", "supportapp", "sts", "sso", "ssooidc",
        "marketplacecatalog", "marketplacemetering", "marketplaceentitlementservice", "marketplacecommerceanalytics",
        "marketplaceagreement", "pi", "personalizeevents", "sagemakermetrics", "importexport", "applicationcostprofiler",
        "kinesisvideoarchivedmedia", "kinesisvideomedia", "kinesisvideosignalingchannels", "kinesisvideowebrtcstorage",
        "iotdata", "iotjobsdataplane", "freetier", "costoptimizationhub", "computeoptimizer", "trustedadvisor",
        "controlcatalog", "artifact", "bcmpricingcalculator",
    };

    /// <summary>
    /// Services whose resources are global to the account: collected once, not per region. (The
    /// model's global endpoint is not the test: S3 has one, yet directory buckets are regional;
    /// Organizations has none, yet is global.)
    /// </summary>
    private static readonly HashSet<string> s_globalServices = new(StringComparer.Ordinal)
    {
        "iam", "cloudfront", "route53", "route53domains", "organizations", "shield", "budgets", "account",
        "globalaccelerator", "savingsplans", "networkmanager", "billingconductor",
    };

    /// <summary>Single operations that list public or AWS-owned catalogues rather than the account's resources.</summary>
    private static readonly HashSet<string> s_deniedOperations = new(StringComparer.Ordinal)
    {
        "ec2:DescribeFpgaImages", "ec2:DescribeImages", "ec2:DescribeSnapshots", "ec2:DescribeSpotPriceHistory",
        "ec2:DescribeImageUsageReports", "ec2:DescribeAwsNetworkPerformanceMetricSubscriptions",
        "rds:DescribeCertificates", "rds:DescribeSourceRegions", "rds:DescribeDBMajorEngineVersions",
        "elasticache:DescribeServiceUpdates", "elasticache:DescribeUpdateActions",
        "bedrock:ListFoundationModels", "bedrock:ListInferenceProfiles", "bedrock:ListPromptRouters",
        "sagemaker:ListHubs", "sagemaker:ListModelMetadata", "sagemaker:ListAliases",
        "ssm:DescribeAvailablePatches", "ssm:ListDocuments", "ssm:ListDocumentVersions",
        "cloudformation:ListTypes", "cloudformation:ListTypeRegistrations",
        "servicecatalog:SearchProducts", "securityhub:DescribeStandards", "securityhub:DescribeProducts", "securityhub:DescribeProductsV2",
        "lightsail:GetBlueprints", "lightsail:GetBundles", "lightsail:GetRegions",
        "workspaces:DescribeWorkspaceBundles", "appstream:DescribeImages",
        "route53:ListGeoLocations", "route53domains:ListPrices", "route53domains:ListOperations",
        "kafka:ListKafkaVersions", "kafka:GetCompatibleKafkaVersions", "mq:DescribeBrokerEngineTypes", "mq:DescribeBrokerInstanceOptions",
        "es:ListVersions", "es:ListElasticsearchVersions", "opensearch:ListVersions", "elasticbeanstalk:ListPlatformVersions",
        "elasticbeanstalk:ListPlatformBranches", "gamelift:ListCompute", "iot:ListAuditFindings",
        "cloudwatch:ListMetrics", "iam:ListPolicies", "glue:GetClassifiers", "imagebuilder:ListComponents", "imagebuilder:ListImages",
        "dms:DescribeEndpointTypes", "dms:DescribeEngineVersions", "directconnect:DescribeLocations",
        "cloudtrail:ListPublicKeys", "macie2:ListManagedDataIdentifiers", "gamelift:DescribeGameSessions", "polly:ListSpeechSynthesisTasks",
        "ec2:DescribePrefixLists",
    };

    /// <summary>True when an operation is discoverable: a read verb, and not ruled out as non-inventory.</summary>
    public static bool IsInventory(string service, string operation) =>
        !s_deniedServices.Contains(service)
        && !DataPlaneService().IsMatch(service)
        && ReadVerbs.IsRead(operation)
        && !ReadVerbs.ReturnsSecretsOrData(operation)
        && !s_deniedOperations.Contains($"{service}:{operation}")
        && !NonInventory().IsMatch(operation);

    /// <summary>Discovers the tables of every bundled service, leaving out operations already used by curated tables.</summary>
    public static IEnumerable<Table> Discover(AwsModelBundle bundle, IReadOnlyList<Table> curated)
    {
        var used = curated.Select(t => $"{t.AwsService}:{t.Operation}").ToHashSet(StringComparer.Ordinal);
        var names = curated.Select(t => t.Name).ToHashSet(StringComparer.Ordinal);
        var serviceNames = curated.GroupBy(t => t.AwsService).ToDictionary(g => g.Key, g => g.First().Service, StringComparer.Ordinal);
        // Parsing the models is most of the cost: done on every core, a batch at a time, and not kept in the bundle
        // (all of them hold ~70 MiB; the tables do not refer to them).
        var services = bundle.Services.Where(info => !s_deniedServices.Contains(info.Name) && !DataPlaneService().IsMatch(info.Name)).ToArray();
        const int batch = 16;
        var models = new ServiceModel[batch];
        for (var i = 0; i < services.Length; i++)
        {
            var info = services[i];
            if (i % batch == 0)
            {
                var start = i;
                Parallel.For(start, Math.Min(start + batch, services.Length), j => models[j - start] = bundle.GetServiceWithoutCaching(services[j].Name));
            }
            var model = models[i % batch];
            var service = serviceNames.GetValueOrDefault(info.Name) ?? CatalogServiceName(info);
            var scope = s_globalServices.Contains(info.Name) ? TableScope.Global : TableScope.Regional;
            var candidates = new List<(Operation Operation, RowPath RowPath, string[] Names)>();
            foreach (var operation in model.Operations.Values.OrderBy(o => o.Name, StringComparer.Ordinal))
            {
                if (!IsCandidate(model, operation, used)) continue;
                var rowPath = TableFactory.DefaultRowPath(operation);
                if (rowPath is null) continue;
                if (operation.Paginator is { ResultKeys.Count: > 0 } p && p.ResultKeys[0] != string.Join('.', rowPath.Segments.Select(s => s.Member))) continue;
                candidates.Add((operation, rowPath, ResourceNames(operation, rowPath).ToArray()));
            }
            // Operations whose result key and name agree (ListPortfolios → portfolios) pick their names first.
            foreach (var (operation, rowPath, resources) in candidates.OrderBy(c => c.Names.Length > 1 && c.Names[0] == c.Names[1] ? 0 : 1))
            {
                foreach (var resource in resources)
                {
                    var name = Table.NameOf(service, resource);
                    if (names.Contains(name)) continue;
                    var table = TableFactory.BuildDiscovered(service, model, operation, rowPath, resource, scope);
                    if (table is null) break;
                    names.Add(name);
                    yield return table;
                    break;
                }
            }
        }
    }

    /// <summary>The service name used in table names: the bundle's, except for the two load balancer APIs, named after their models as the system we start from does.</summary>
    public static string CatalogServiceName(ServiceInfo info) => info.Name switch
    {
        "elb" => "elasticloadbalancing",
        "elbv2" => "elasticloadbalancingv2",
        _ => info.Name,
    };

    // Paginated reads name their rows (the result key). Many List/Describe reads have no paginator
    // in the model but return one list (often still paged by NextToken): those count too.
    private static bool IsCandidate(ServiceModel model, Operation operation, HashSet<string> used) =>
        (operation.Paginator is { ResultKeys.Count: > 0 } || !operation.Name.StartsWith("Get", StringComparison.Ordinal))
        && !operation.Deprecated
        && operation.Input?.Shape.Members.Any(m => m.IsRequired || m.Location == MemberLocation.Uri) != true
        && !used.Contains($"{model.Name}:{operation.Name}")
        && IsInventory(model.Name, operation.Name);

    /// <summary>Candidate resource names, best first: from the result key, then from the operation name.</summary>
    internal static IEnumerable<string> ResourceNames(Operation operation, RowPath rowPath)
    {
        var fromKey = Clean(ColumnNames.ToSnakeCase(rowPath.Segments[^1].Member));
        var fromOperation = Clean(ColumnNames.ToSnakeCase(VerbPrefix().Replace(operation.Name, "")));
        if (fromKey.Length > 0 && !GenericName().IsMatch(fromKey)) yield return fromKey;
        // When both names are taken, another table already lists this resource (ListStacks beside the
        // curated DescribeStacks): the operation is left out rather than named after its verb.
        if (fromOperation.Length > 0) yield return fromOperation;
    }

    private static string Clean(string snake)
    {
        foreach (var suffix in (string[])["_summary_list", "_info_list", "_list", "_summaries", "_summary", "_infos", "_info", "_details", "_detail", "_descriptions", "_description", "_items"])
        {
            if (snake.EndsWith(suffix, StringComparison.Ordinal) && snake.Length > suffix.Length)
            {
                return Plural(snake[..^suffix.Length]);
            }
        }
        return snake;
    }

    private static string Plural(string snake)
    {
        if (snake.EndsWith('s')) return snake;
        if (snake.EndsWith('y') && snake.Length > 1 && !"aeiou".Contains(snake[^2], StringComparison.Ordinal)) return snake[..^1] + "ies";
        return snake + "s";
    }

    [GeneratedRegex("^(List|Describe|Get)", RegexOptions.CultureInvariant)]
    private static partial Regex VerbPrefix();

    [GeneratedRegex("^(items|results?|summaries|entries|list|data|values|records|details|objects|resources|members_list|ids|arns|names|output|response|infos|descriptions)$", RegexOptions.CultureInvariant)]
    private static partial Regex GenericName();

    [GeneratedRegex("(runtime|data|dataplane)$", RegexOptions.CultureInvariant)]
    private static partial Regex DataPlaneService();

    [GeneratedRegex(
        "Offering|Pric(e|es|ing)$|PriceList|EngineVersions?$|InstanceTypes?$|InstanceTypeOptions|Orderable|Events?$|EventCategories|EventTypes|Finding|History|Quota|Default|Metrics$|MetricData|" +
        "LogEvents|Available|Supported|Regions$|AvailabilityZones$|Recommendation|Usage$|UsageLimits|UsageStatistics|CostEstimat|Forecast$|Statistics$|Coverage|" +
        "Limits$|AccountAttributes$|ResourceTypes$|Tokens$|CanariesLastRun|CreateAccountStatus|Versions$|Blueprints$|Bundles$|Types$|OperatingSystems$|Categories$|Operations$|Executions$|Jobs$|Runs$|Activities$|" +
        "Anomalies$|Queries$|ExportTasks$|LogStreams$|JobSummaries$|Results$|Scans$|PlayerSessions$|GameSessionDetails$|Reports$|Compliance",
        RegexOptions.CultureInvariant)]
    private static partial Regex NonInventory();
}
