using System.Collections;
using System.Globalization;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using Amazon.Runtime;
using CloudInventory.Aws.Client;
using CloudInventory.Aws.Protocols;
using CloudInventory.Catalog;
using CloudInventory.Collection.Internal;
using CloudInventory.Simulator;
using CloudInventory.Storage;
using Xunit.Abstractions;

namespace CloudInventory.Tests.Simulator;

/// <summary>
/// The AWS SDK for .NET's typed clients, pointed at the simulator, parse the response of every
/// operation the catalog calls in EC2, S3, DynamoDB, SQS, KMS, SSM and STS, page through its
/// listings, see its throttling as throttling, and parse the same values the engine parses.
/// </summary>
public class SimulatedCloudSdkCoverageTests(SdkCoverageFixture fixture, ITestOutputHelper output) : IClassFixture<SdkCoverageFixture>
{
    private const string Region = "us-east-1";

    private readonly List<string> _compared = [];
    private readonly List<string> _mismatches = [];

    // The S3 SDK renames some model members; every other SDK uses the member names.
    private static readonly Dictionary<string, string> s_s3Renames = new(StringComparer.Ordinal)
    {
        ["Bucket"] = "BucketName",
        ["Name"] = "BucketName",
        ["LocationConstraint"] = "Location",
        ["TargetBucket"] = "TargetBucketName",
        ["Rules"] = "ServerSideEncryptionRules",
        ["LifecycleConfiguration"] = "Configuration",
        ["ReplicationConfiguration"] = "Configuration",
    };

    // Members the SDKs rename on one type (customisations, mostly a member named like its own shape).
    private static readonly Dictionary<string, string> s_typeRenames = new(StringComparer.Ordinal)
    {
        ["InstanceStatus.InstanceStatus"] = "Status",
        ["IpPermission.IpRanges"] = "Ipv4Ranges",
        ["PrefixListId.PrefixListId"] = "Id",
        ["SpotFleetRequestConfig.SpotFleetRequestConfig"] = "ConfigData",
        ["CidrBlock.CidrBlock"] = "Cidr",
        ["Ipv6CidrBlock.Ipv6CidrBlock"] = "Value",
        ["LaunchSpecification.SecurityGroups"] = "AllSecurityGroups",
        ["LaunchSpecification.Monitoring"] = "MonitoringEnabled",
        ["ServerSideEncryptionRule.ApplyServerSideEncryptionByDefault"] = "ServerSideEncryptionByDefault",
        ["GetLifecycleConfigurationResponse.Rules"] = "Configuration.Rules",
        // The S3 SDK reads a lifecycle filter's prefix into its legacy predicate object.
        ["LifecycleFilter.Prefix"] = "LifecycleFilterPredicate.Prefix",
        ["GetBucketVersioningResponse.Status"] = "VersioningConfig.Status",
        ["GetBucketVersioningResponse.MFADelete"] = "VersioningConfig.EnableMfaDelete",
        ["GetBucketLoggingResponse.LoggingEnabled"] = "BucketLoggingConfig",
        ["ServerSideEncryptionByDefault.SSEAlgorithm"] = "ServerSideEncryptionAlgorithm",
        ["ServerSideEncryptionByDefault.KMSMasterKeyID"] = "ServerSideEncryptionKeyManagementServiceKeyId",
        ["SseKmsEncryptedObjects.Status"] = "SseKmsEncryptedObjectsStatus",
        ["ReplicationDestination.Bucket"] = "BucketArn",
        ["ReplicationDestination.Account"] = "AccountId",
    };

    // The S3 SDK names one catalog operation differently.
    private static readonly Dictionary<string, string> s_s3Operations = new(StringComparer.Ordinal)
    {
        ["GetBucketLifecycleConfiguration"] = "GetLifecycleConfiguration",
    };

    // Every successful call's values are compared member by member with the engine's parse; for these
    // representative operations the comparison must also have found values to compare.
    private static readonly HashSet<string> s_compared = new(StringComparer.Ordinal)
    {
        "ec2:DescribeInstances", "s3:ListBuckets", "s3:GetBucketTagging", "dynamodb:DescribeTable", "kms:DescribeKey",
        "sqs:GetQueueAttributes", "ssm:DescribeParameters", "sts:GetCallerIdentity", "sts:AssumeRole",
    };

    private static ClientConfig ConfigFor(string service) => service switch
    {
        "ec2" => new Amazon.EC2.AmazonEC2Config(),
        "s3" => new Amazon.S3.AmazonS3Config { ForcePathStyle = true },
        "dynamodb" => new Amazon.DynamoDBv2.AmazonDynamoDBConfig(),
        "sqs" => new Amazon.SQS.AmazonSQSConfig(),
        "kms" => new Amazon.KeyManagementService.AmazonKeyManagementServiceConfig(),
        "ssm" => new Amazon.SimpleSystemsManagement.AmazonSimpleSystemsManagementConfig(),
        "sts" => new Amazon.SecurityToken.AmazonSecurityTokenServiceConfig(),
        _ => throw new ArgumentOutOfRangeException(nameof(service), service, null),
    };

    private static AmazonServiceClient Sdk(string service, SimulatedCloud cloud, AWSCredentials credentials, string region)
    {
        var config = ConfigFor(service);
        config.ServiceURL = cloud.Endpoint.ToString();
        config.AuthenticationRegion = region;
        config.MaxErrorRetry = 0;
        return service switch
        {
            "ec2" => new Amazon.EC2.AmazonEC2Client(credentials, (Amazon.EC2.AmazonEC2Config)config),
            "s3" => new Amazon.S3.AmazonS3Client(credentials, (Amazon.S3.AmazonS3Config)config),
            "dynamodb" => new Amazon.DynamoDBv2.AmazonDynamoDBClient(credentials, (Amazon.DynamoDBv2.AmazonDynamoDBConfig)config),
            "sqs" => new Amazon.SQS.AmazonSQSClient(credentials, (Amazon.SQS.AmazonSQSConfig)config),
            "kms" => new Amazon.KeyManagementService.AmazonKeyManagementServiceClient(credentials, (Amazon.KeyManagementService.AmazonKeyManagementServiceConfig)config),
            "ssm" => new Amazon.SimpleSystemsManagement.AmazonSimpleSystemsManagementClient(credentials, (Amazon.SimpleSystemsManagement.AmazonSimpleSystemsManagementConfig)config),
            "sts" => new Amazon.SecurityToken.AmazonSecurityTokenServiceClient(credentials, (Amazon.SecurityToken.AmazonSecurityTokenServiceConfig)config),
            _ => throw new ArgumentOutOfRangeException(nameof(service), service, null),
        };
    }

    [Theory]
    [InlineData("ec2")]
    [InlineData("s3")]
    [InlineData("dynamodb")]
    [InlineData("sqs")]
    [InlineData("kms")]
    [InlineData("ssm")]
    public async Task Sdk_parses_every_catalog_operation_of_the_service_as_the_engine_does(string service)
    {
        var tables = TableCatalog.Default.Curated.Where(t => t.AwsService == service).ToList();
        Assert.NotEmpty(tables);
        var checkedOperations = new SortedSet<string>(StringComparer.Ordinal);
        var calls = 0;
        var typedErrors = 0;
        var sdkEmptied = 0;
        using var clients = new ClientPool(fixture, service);
        foreach (var table in tables)
        {
            foreach (var input in await InputsOfTableAsync(table, clients))
            {
                await CheckCallAsync(clients, Region, service, table.Operation, input, table.Name, []);
                calls++;
                checkedOperations.Add(table.Operation);
            }
            if (table.Enrichments.Count == 0) continue;

            var rows = await RowsAsync(table, clients);
            Assert.True(rows.Count > 0, $"{table.Name}: the listing gave no rows to enrich");
            foreach (var row in rows.Take(6))
            {
                var region = service == "s3" ? await BucketRegionAsync(clients, row) : Region;
                foreach (var enrichment in table.Enrichments)
                {
                    var input = ToObject(enrichment.FixedInput);
                    var byName = row;
                    Assert.True(enrichment.Bindings.All(b => byName.GetValueOrDefault(b.Column) is not null),
                        $"{table.Name}.{enrichment.Name}: a bound column has no value in the row");
                    foreach (var binding in enrichment.Bindings)
                    {
                        var value = byName[binding.Column]!.DeepClone();
                        input[binding.Parameter] = binding.AsList ? new JsonArray(value) : value;
                    }
                    var tree = await CheckCallAsync(clients, region, service, enrichment.Operation, input, $"{table.Name}.{enrichment.Name}", enrichment.AbsentOn);
                    if (tree.SdkEmptied) sdkEmptied++;
                    else if (tree.Error is not null) typedErrors++;
                    else SetEnrichment(table, row, enrichment, Select(tree.Root, enrichment.ResultPath));
                    calls++;
                    checkedOperations.Add(enrichment.Operation);
                }
            }
        }
        output.WriteLine($"{service}: {checkedOperations.Count} operations checked in {calls} calls ({typedErrors} typed 'not configured' errors, {sdkEmptied} 404s the SDK turns into empty responses): {string.Join(", ", checkedOperations)}");
        foreach (var line in _compared.Distinct()) output.WriteLine($"  same values as the engine: {line}");
        var expected = tables.SelectMany(t => t.Operations).ToHashSet(StringComparer.Ordinal);
        Assert.Equal(expected.Order(StringComparer.Ordinal), checkedOperations);
        Assert.True(_mismatches.Count == 0, $"SDK and engine differ:\n{string.Join('\n', _mismatches.Distinct().Take(60))}");
        foreach (var representative in s_compared.Where(c => c.StartsWith(service + ":", StringComparison.Ordinal)))
        {
            Assert.True(_compared.Any(c => c.StartsWith(representative + ":", StringComparison.Ordinal)), $"{representative}: no successful call had its values compared");
        }
    }

    [Fact]
    public async Task Sdk_parses_the_sts_calls_of_a_collection_as_the_engine_does()
    {
        // The catalog has no STS tables; a collection calls GetCallerIdentity and AssumeRole (per account).
        using var clients = new ClientPool(fixture, "sts");
        var account = fixture.Cloud.World.ManagementAccount.Id;
        var identity = await CheckCallAsync(clients, Region, "sts", "GetCallerIdentity", [], "sts", []);
        Assert.Equal(account, identity.Root?["Account"]?.GetValue<string>());
        var role = new JsonObject { ["RoleArn"] = $"arn:aws:iam::{account}:role/OrganizationAccountAccessRole", ["RoleSessionName"] = "cloudinv" };
        var assumed = await CheckCallAsync(clients, Region, "sts", "AssumeRole", role, "sts", []);
        Assert.NotNull(assumed.Root?["Credentials"]?["SessionToken"]);
        Assert.Empty(_mismatches);
        Assert.Contains(_compared, c => c.StartsWith("sts:GetCallerIdentity:", StringComparison.Ordinal));
        Assert.Contains(_compared, c => c.StartsWith("sts:AssumeRole:", StringComparison.Ordinal));
        output.WriteLine($"sts: 2 operations checked (GetCallerIdentity, AssumeRole): {string.Join("; ", _compared)}");
    }

    [Fact]
    public async Task Sdk_paginators_serve_several_pages_with_the_engines_item_counts()
    {
        var ec2 = (Amazon.EC2.AmazonEC2Client)Sdk("ec2", fixture.Cloud, fixture.Credentials, Region);
        var dynamo = (Amazon.DynamoDBv2.AmazonDynamoDBClient)Sdk("dynamodb", fixture.Cloud, fixture.Credentials, Region);
        var kms = (Amazon.KeyManagementService.AmazonKeyManagementServiceClient)Sdk("kms", fixture.Cloud, fixture.Credentials, Region);
        var ssm = (Amazon.SimpleSystemsManagement.AmazonSimpleSystemsManagementClient)Sdk("ssm", fixture.Cloud, fixture.Credentials, Region);
        var sqs = (Amazon.SQS.AmazonSQSClient)Sdk("sqs", fixture.Cloud, fixture.Credentials, Region);
        using var _ec2 = ec2;
        using var _dynamo = dynamo;
        using var _kms = kms;
        using var _ssm = ssm;
        using var _sqs = sqs;

        await AssertPagesAsync("aws_ec2_instances", ec2.Paginators.DescribeInstances(new Amazon.EC2.Model.DescribeInstancesRequest()).Responses,
            r => r.Reservations?.Sum(x => x.Instances?.Count ?? 0) ?? 0);
        await AssertPagesAsync("aws_ec2_volumes", ec2.Paginators.DescribeVolumes(new Amazon.EC2.Model.DescribeVolumesRequest()).Responses,
            r => r.Volumes?.Count ?? 0);
        await AssertPagesAsync("aws_dynamodb_tables", dynamo.Paginators.ListTables(new Amazon.DynamoDBv2.Model.ListTablesRequest()).Responses,
            r => r.TableNames?.Count ?? 0);
        await AssertPagesAsync("aws_kms_keys", kms.Paginators.ListKeys(new Amazon.KeyManagementService.Model.ListKeysRequest()).Responses,
            r => r.Keys?.Count ?? 0);
        await AssertPagesAsync("aws_ssm_parameters", ssm.Paginators.DescribeParameters(new Amazon.SimpleSystemsManagement.Model.DescribeParametersRequest()).Responses,
            r => r.Parameters?.Count ?? 0);
        await AssertPagesAsync("aws_sqs_queues", sqs.Paginators.ListQueues(new Amazon.SQS.Model.ListQueuesRequest()).Responses,
            r => r.QueueUrls?.Count ?? 0);
    }

    [Theory]
    [InlineData("ec2", "DescribeVpcs")]
    [InlineData("s3", "ListBuckets")]
    [InlineData("dynamodb", "ListTables")]
    [InlineData("sqs", "ListQueues")]
    [InlineData("kms", "ListKeys")]
    [InlineData("ssm", "DescribeParameters")]
    [InlineData("sts", "GetCallerIdentity")]
    public async Task Sdk_classifies_the_simulators_throttling_as_throttling(string service, string operation)
    {
        await using var throttled = await SimulatedCloud.StartAsync(new SimulatorOptions { Seed = 7, Accounts = 1, ThrottleRate = 1.0 });
        var key = throttled.ManagementAccessKey;
        using var client = Sdk(service, throttled, new BasicAWSCredentials(key, throttled.SecretFor(key)), Region);
        var e = await Assert.ThrowsAnyAsync<AmazonServiceException>(() => InvokeSdkAsync(client, operation, []));
        var policy = new Amazon.Runtime.Internal.StandardRetryPolicy(client.Config);
        Assert.True(policy.IsThrottlingError(e), $"{service}: {e.ErrorCode} ({(int)e.StatusCode}) is not throttling to the SDK");
    }

    private async Task AssertPagesAsync<TResponse>(string tableName, IAsyncEnumerable<TResponse> responses, Func<TResponse, int> count)
    {
        var pages = 0;
        var items = 0;
        await foreach (var response in responses)
        {
            pages++;
            items += count(response);
        }
        var table = TableCatalog.Default.Curated.Single(t => t.Name == tableName);
        using var engine = fixture.Engine();
        var engineRows = 0;
        var enginePages = 0;
        await foreach (var _ in engine.PaginateAsync(table.AwsService, table.Operation, ToObject(table.FixedInput),
            () => new RowReader(new TableRowLayout(table), new TableRowBuffer(table), "", Region, DateTimeOffset.UnixEpoch, (n, _) => engineRows += n)))
        {
            enginePages++;
        }
        output.WriteLine($"{tableName}: SDK {pages} pages / {items} items, engine {enginePages} pages / {engineRows} rows");
        Assert.True(pages > 1, $"{tableName}: the SDK saw only one page");
        Assert.Equal(engineRows, items);
        Assert.Equal(enginePages, pages);
    }

    // -- one call through both clients ------------------------------------------------------------------

    private sealed record CallResult(JsonObject? Root, string? Error, bool SdkEmptied = false);

    /// <summary>
    /// Calls an operation through the engine and through the SDK's typed client; both must succeed,
    /// or both fail with the same modelled error code (one of <paramref name="absentOn"/>). For the
    /// representative operations, what the SDK parsed must equal what the engine parsed.
    /// </summary>
    private async Task<CallResult> CheckCallAsync(ClientPool clients, string region, string service, string operation, JsonObject input,
        string what, IReadOnlyList<string> absentOn)
    {
        var tree = new ValueTreeBuilder();
        string? engineError = null;
        try
        {
            await clients.Engine(region).CallAsync(service, operation, (JsonObject)input.DeepClone(), tree);
        }
        catch (AwsApiException e)
        {
            engineError = e.ErrorCode;
            Assert.True(absentOn.Contains(e.ErrorCode), $"{what}: engine {operation} failed with {e.ErrorCode}: {e.ErrorMessage}");
        }

        object response;
        try
        {
            response = await InvokeSdkAsync(clients.Sdk(region), operation, input);
        }
        catch (AmazonServiceException e) when (engineError is not null)
        {
            Assert.Equal(engineError, e.ErrorCode);
            return new CallResult(null, engineError);
        }
        if (engineError is not null && ((AmazonWebServiceResponse)response).HttpStatusCode == System.Net.HttpStatusCode.NotFound)
        {
            // The S3 SDK turns some modelled "not configured" 404s into an empty response of its own
            // (GetBucketReplication's ReplicationConfigurationNotFoundError): parsed, and the same answer.
            output.WriteLine($"{what}: the SDK answered {engineError} (404) with an empty {response.GetType().Name}");
            return new CallResult(null, engineError, SdkEmptied: true);
        }
        Assert.True(engineError is null, $"{what}: the SDK parsed {operation} (HTTP {(int)((AmazonWebServiceResponse)response).HttpStatusCode}) but the engine got {engineError}");
        var mismatches = new List<string>();
        var leaves = CompareTree(service, tree.Root ?? [], response, operation, mismatches);
        _mismatches.AddRange(mismatches.Take(10).Select(m => $"{what}: {m}"));
        Assert.True(leaves > 0 || !s_compared.Contains($"{service}:{operation}"), $"{what}: nothing was compared");
        _compared.Add($"{service}:{operation}: {leaves} values");
        return new CallResult(tree.Root, null);
    }

    private static async Task<object> InvokeSdkAsync(AmazonServiceClient client, string operation, JsonObject input)
    {
        var clientType = client.GetType();
        if (client is Amazon.S3.AmazonS3Client && s_s3Operations.TryGetValue(operation, out var sdkName)) operation = sdkName;
        var requestType = clientType.Assembly.GetType($"{clientType.Namespace}.Model.{operation}Request", throwOnError: true)!;
        var method = clientType.GetMethod($"{operation}Async", [requestType, typeof(CancellationToken)])
            ?? throw new InvalidOperationException($"{clientType.Name} has no {operation}Async");
        var request = Activator.CreateInstance(requestType)!;
        var service = ServiceOf(client);
        Fill(service, request, input);
        var task = (Task)method.Invoke(client, [request, CancellationToken.None])!;
        try
        {
            await task;
        }
        catch (TargetInvocationException e) when (e.InnerException is not null)
        {
            throw e.InnerException;
        }
        return task.GetType().GetProperty("Result")!.GetValue(task)!;
    }

    private static string ServiceOf(AmazonServiceClient client) => client switch
    {
        Amazon.S3.AmazonS3Client => "s3",
        _ => "other",
    };

    // -- request filling: JSON input (model member names) onto SDK request objects ---------------------

    private static void Fill(string service, object target, JsonObject input)
    {
        foreach (var (name, value) in input)
        {
            var property = FindProperty(service, target.GetType(), name)
                ?? throw new InvalidOperationException($"{target.GetType().Name} has no property for input member {name}");
            property.SetValue(target, ConvertInput(service, value, property.PropertyType));
        }
    }

    private static object? ConvertInput(string service, JsonNode? value, Type type)
    {
        if (value is null) return null;
        var underlying = Nullable.GetUnderlyingType(type) ?? type;
        switch (value)
        {
            case JsonArray array:
            {
                var list = (IList)Activator.CreateInstance(type)!;
                var itemType = type.GetGenericArguments()[0];
                foreach (var item in array) list.Add(ConvertInput(service, item, itemType));
                return list;
            }
            case JsonObject obj when underlying.IsGenericType && underlying.GetGenericTypeDefinition() == typeof(Dictionary<,>):
            {
                var map = (IDictionary)Activator.CreateInstance(type)!;
                var valueType = underlying.GetGenericArguments()[1];
                foreach (var (k, v) in obj) map[k] = ConvertInput(service, v, valueType);
                return map;
            }
            case JsonObject obj:
            {
                var nested = Activator.CreateInstance(underlying)!;
                Fill(service, nested, obj);
                return nested;
            }
        }
        var scalar = value.AsValue();
        if (underlying == typeof(string)) return scalar.ToString();
        if (typeof(ConstantClass).IsAssignableFrom(underlying))
        {
            var find = underlying.GetMethod("FindValue", BindingFlags.Public | BindingFlags.Static, [typeof(string)])!;
            return find.Invoke(null, [scalar.GetValue<string>()]);
        }
        if (underlying == typeof(bool)) return scalar.GetValue<bool>();
        if (underlying == typeof(int)) return scalar.GetValue<int>();
        if (underlying == typeof(long)) return scalar.GetValue<long>();
        throw new InvalidOperationException($"cannot put {value.ToJsonString()} into {type.Name}");
    }

    private static PropertyInfo? FindProperty(string service, Type type, string member)
    {
        var flags = BindingFlags.Public | BindingFlags.Instance;
        if (s_typeRenames.TryGetValue($"{type.Name}.{member}", out var typeRenamed)) return type.GetProperty(typeRenamed, flags);
        if (service == "s3" && s_s3Renames.TryGetValue(member, out var renamed) && type.GetProperty(renamed, flags) is { } s3Property) return s3Property;
        return type.GetProperty(member, flags) ?? type.GetProperty(member, flags | BindingFlags.IgnoreCase);
    }

    // -- response comparison: the engine's value tree against the SDK's parsed object -----------------

    // A member of an SDK object; a rename may be a dotted path where the SDK nests the member one level deeper.
    private static bool TryGetMember(string service, object sdk, string member, out object? value)
    {
        value = null;
        if (s_typeRenames.TryGetValue($"{sdk.GetType().Name}.{member}", out var renamed) && renamed.Contains('.', StringComparison.Ordinal))
        {
            object? current = sdk;
            foreach (var step in renamed.Split('.'))
            {
                if (current is null) return true;
                var p = current.GetType().GetProperty(step, BindingFlags.Public | BindingFlags.Instance);
                if (p is null) return false;
                current = p.GetValue(current);
            }
            value = current;
            return true;
        }
        var property = FindProperty(service, sdk.GetType(), member);
        if (property is null) return false;
        value = property.GetValue(sdk);
        return true;
    }

    private static int CompareTree(string service, JsonNode? engine, object? sdk, string path, List<string> mismatches)
    {
        switch (engine)
        {
            case null:
                return 0;
            case JsonObject obj when sdk is IDictionary map:
            {
                var leaves = 0;
                foreach (var (key, child) in obj)
                {
                    if (!map.Contains(key)) mismatches.Add($"{path}[{key}]: missing in the SDK's map");
                    else leaves += CompareTree(service, child, map[key], $"{path}[{key}]", mismatches);
                }
                return leaves;
            }
            case JsonObject { Count: 1 } wrapper when sdk is string or ConstantClass or bool:
                // The SDK unwraps single-value structures (EC2's AttributeValue { Value } becomes a string).
                return CompareTree(service, wrapper.First().Value, sdk, $"{path}.{wrapper.First().Key}", mismatches);
            case JsonArray { Count: 0 } when sdk is null:
                // SDK v4 leaves an empty collection null unless AWSConfigs.InitializeCollections is set.
                return 0;
            case JsonObject obj:
            {
                if (sdk is null)
                {
                    mismatches.Add($"{path}: the SDK has null, the engine {obj.ToJsonString()[..Math.Min(80, obj.ToJsonString().Length)]}");
                    return 0;
                }
                var leaves = 0;
                foreach (var (name, child) in obj)
                {
                    if (!TryGetMember(service, sdk, name, out var memberValue))
                    {
                        mismatches.Add($"{path}.{name}: no SDK property on {sdk.GetType().Name}");
                        continue;
                    }
                    leaves += CompareTree(service, child, memberValue, $"{path}.{name}", mismatches);
                }
                return leaves;
            }
            case JsonArray array:
            {
                if (sdk is not IList list)
                {
                    mismatches.Add($"{path}: the engine has a list of {array.Count}, the SDK {sdk?.GetType().Name ?? "null"}");
                    return 0;
                }
                if (list.Count != array.Count)
                {
                    mismatches.Add($"{path}: the engine has {array.Count} items, the SDK {list.Count}");
                    return 0;
                }
                var leaves = 0;
                for (var i = 0; i < array.Count; i++) leaves += CompareTree(service, array[i], list[i], $"{path}[{i}]", mismatches);
                return leaves;
            }
        }
        var value = engine.AsValue();
        var expected = Canonical(value);
        // S3 SDK: MFADelete "Enabled"/"Disabled" becomes a bool.
        if (sdk is bool && expected is "Enabled" or "Disabled") expected = expected == "Enabled" ? "true" : "false";
        var actual = Canonical(sdk);
        if (!string.Equals(expected, actual, StringComparison.Ordinal)) mismatches.Add($"{path}: engine {expected}, SDK {actual}");
        return 1;
    }

    private static string? Canonical(object? value) => value switch
    {
        null => null,
        JsonValue v when v.TryGetValue<DateTimeOffset>(out var t) => t.UtcDateTime.ToString("O", CultureInfo.InvariantCulture),
        JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>(),
        JsonValue v when v.GetValueKind() is JsonValueKind.True or JsonValueKind.False => v.GetValue<bool>() ? "true" : "false",
        JsonValue v when v.GetValueKind() == JsonValueKind.Number => decimal.Parse(v.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture).ToString(CultureInfo.InvariantCulture),
        JsonValue v => v.ToJsonString(),
        DateTime d => (d.Kind == DateTimeKind.Unspecified ? DateTime.SpecifyKind(d, DateTimeKind.Utc) : d.ToUniversalTime()).ToString("O", CultureInfo.InvariantCulture),
        ConstantClass c => c.Value,
        bool b => b ? "true" : "false",
        string s => s,
        IConvertible c => c.ToDecimal(CultureInfo.InvariantCulture).ToString(CultureInfo.InvariantCulture),
        _ => value.ToString(),
    };

    // -- rows and inputs from the catalog ---------------------------------------------------------------

    /// <summary>The inputs of a table's own calls: its fixed input, once per fan-out value and per parent row.</summary>
    private async Task<List<JsonObject>> InputsOfTableAsync(Table table, ClientPool clients)
    {
        var inputs = new List<JsonObject>();
        var parents = table.Parent is { } link ? await ParentRowsAsync(link, clients) : [null];
        foreach (var parent in parents)
        {
            var input = ToObject(table.FixedInput);
            if (table.Parent is { } l && parent is not null)
            {
                foreach (var binding in l.Bindings)
                {
                    var value = parent.GetValueOrDefault(binding.Column)?.DeepClone();
                    input[binding.Parameter] = binding.AsList ? new JsonArray(value) : value;
                }
            }
            if (table.FanOut is { } fan)
            {
                foreach (var v in fan.Values)
                {
                    var copy = (JsonObject)input.DeepClone();
                    copy[fan.Parameter] = v;
                    inputs.Add(copy);
                }
            }
            else
            {
                inputs.Add(input);
            }
        }
        return inputs;
    }

    private async Task<List<Dictionary<string, JsonNode?>?>> ParentRowsAsync(ParentLink link, ClientPool clients)
    {
        var parent = TableCatalog.Default.Curated.Single(t => t.Name == link.Table);
        return (await RowsAsync(parent, clients)).Take(3).Select(r => (Dictionary<string, JsonNode?>?)r).ToList();
    }

    /// <summary>The first page's rows of a table, as the collector reads them (before enrichment): each column's value by name.</summary>
    private async Task<List<Dictionary<string, JsonNode?>>> RowsAsync(Table table, ClientPool clients)
    {
        var rows = new List<Dictionary<string, JsonNode?>>();
        var input = (await InputsOfTableAsync(table, clients))[0];
        var account = fixture.Cloud.World.ManagementAccount.Id;
        var reader = new RowReader(new TableRowLayout(table), new TableRowBuffer(table), account, Region, DateTimeOffset.UnixEpoch, null,
            keep: table.Columns.Select(c => c.Name).ToHashSet(StringComparer.Ordinal),
            onRow: values => rows.Add(values.ToDictionary(kv => kv.Key, kv => kv.Value?.Whole?.ToJsonNode(), StringComparer.Ordinal)));
        await clients.Engine(Region).CallAsync(table.AwsService, table.Operation, input, reader);
        return rows;
    }

    private static async Task<string> BucketRegionAsync(ClientPool clients, Dictionary<string, JsonNode?> row)
    {
        var name = row["name"]!.GetValue<string>();
        var s3 = (Amazon.S3.AmazonS3Client)clients.Sdk(Region);
        var location = await s3.GetBucketLocationAsync(new Amazon.S3.Model.GetBucketLocationRequest { BucketName = name });
        return string.IsNullOrEmpty(location.Location?.Value) ? Region : location.Location.Value;
    }

    // As the collector does: an enrichment's result in its column, or an object's fields in the columns it is flattened into.
    private static void SetEnrichment(Table table, Dictionary<string, JsonNode?> row, Enrichment enrichment, JsonNode? result)
    {
        var source = enrichment.ResultPath is null ? enrichment.Operation : $"{enrichment.Operation}:{enrichment.ResultPath}";
        foreach (var column in table.Columns.Where(c => c.Origin == ColumnOrigin.Enrichment && c.SourcePath is not null))
        {
            if (enrichment.Flatten && column.SourcePath!.StartsWith(source + ".", StringComparison.Ordinal))
            {
                row[column.Name] = (result as JsonObject)?[column.SourcePath[(source.Length + 1)..]]?.DeepClone();
            }
            else if (!enrichment.Flatten && column.Name == enrichment.Name && column.SourcePath == source)
            {
                row[column.Name] = result;
            }
        }
    }

    private static JsonNode? Select(JsonNode? root, RowPath? path)
    {
        if (path is null) return root;
        var node = root;
        foreach (var segment in path.Segments)
        {
            node = (node as JsonObject)?[segment.Member];
            if (segment.IsList) node = node is JsonArray { Count: > 0 } list ? list[0] : null;
            if (node is null) return null;
        }
        return node?.DeepClone();
    }

    private static JsonObject ToObject(JsonElement element) =>
        element.ValueKind == JsonValueKind.Object ? JsonNode.Parse(element.GetRawText())!.AsObject() : [];

    /// <summary>Engine and SDK clients of one service, one per region, disposed together.</summary>
    private sealed class ClientPool(SdkCoverageFixture fixture, string service) : IDisposable
    {
        private readonly Dictionary<string, AwsClient> _engines = new(StringComparer.Ordinal);
        private readonly Dictionary<string, AmazonServiceClient> _sdks = new(StringComparer.Ordinal);

        public AwsClient Engine(string region)
        {
            if (!_engines.TryGetValue(region, out var client)) _engines[region] = client = fixture.Engine(region);
            return client;
        }

        public AmazonServiceClient Sdk(string region)
        {
            if (!_sdks.TryGetValue(region, out var client)) _sdks[region] = client = SimulatedCloudSdkCoverageTests.Sdk(service, fixture.Cloud, fixture.Credentials, region);
            return client;
        }

        public void Dispose()
        {
            foreach (var e in _engines.Values) e.Dispose();
            foreach (var s in _sdks.Values) s.Dispose();
        }
    }
}
