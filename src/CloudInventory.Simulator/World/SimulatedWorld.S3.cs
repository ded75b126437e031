using System.Text.Json.Nodes;

namespace CloudInventory.Simulator.World;

public sealed partial class SimulatedWorld
{
    internal sealed record Bucket(string Name, string Region, DateOnly Born, string Key);

    /// <summary>The account's buckets (S3 is global: one list per account, each bucket in one region).</summary>
    internal IReadOnlyList<Bucket> Buckets(string account, DateOnly date)
    {
        var key = Key(account, "global", "bucket");
        return Population.Alive(key, Count(key, 5), 0.01, date).Select(m =>
        {
            var bkey = $"{key}/{m.Index}";
            var app = s_applications[StableHash.Range(bkey + "/app", 0, s_applications.Length)];
            return new Bucket($"{app}-{StableHash.Hex(bkey, 8)}-{account[^4..]}", Regions[StableHash.Range(bkey + "/region", 0, Regions.Count)], m.Born, bkey);
        }).ToList();
    }

    /// <summary>The region of a bucket, or null when the account has no such bucket.</summary>
    internal string? BucketRegion(string account, string bucket, DateOnly date) =>
        Buckets(account, date).FirstOrDefault(b => b.Name == bucket)?.Region;

    private JsonObject? HandleS3(WorldRequest r)
    {
        if (r.Operation.Name == "ListBuckets")
        {
            return new JsonObject
            {
                ["Buckets"] = new JsonArray(Buckets(r.AccountId, r.Date).Select(b => (JsonNode)new JsonObject
                {
                    ["Name"] = b.Name,
                    ["CreationDate"] = At(b.Born, b.Key),
                    ["BucketRegion"] = b.Region,
                }).ToArray()),
                ["Owner"] = new JsonObject { ["ID"] = StableHash.Hex(r.AccountId + "/canonical", 64), ["DisplayName"] = "inventory" },
            };
        }
        if (r.String("Bucket") is not { } name) return null;
        var bucket = Buckets(r.AccountId, r.Date).FirstOrDefault(b => b.Name == name)
            ?? throw new SimulatedError(404, "NoSuchBucket", "The specified bucket does not exist");
        if (r.Operation.Name != "GetBucketLocation" && r.Region != bucket.Region)
            throw new SimulatedRedirect(bucket.Region);
        bool Has(string feature, double p) => StableHash.Unit($"{bucket.Key}/{feature}") < p;
        switch (r.Operation.Name)
        {
            case "GetBucketLocation":
                return new JsonObject { ["LocationConstraint"] = bucket.Region == "us-east-1" ? null : bucket.Region };
            case "GetBucketEncryption":
                return new JsonObject
                {
                    ["ServerSideEncryptionConfiguration"] = new JsonObject
                    {
                        ["Rules"] = new JsonArray(new JsonObject
                        {
                            ["ApplyServerSideEncryptionByDefault"] = Has("kms", 0.4)
                                ? new JsonObject { ["SSEAlgorithm"] = "aws:kms", ["KMSMasterKeyID"] = $"arn:aws:kms:{bucket.Region}:{r.AccountId}:key/{StableHash.Hex(bucket.Key + "/kms", 32)}" }
                                : new JsonObject { ["SSEAlgorithm"] = "AES256" },
                            ["BucketKeyEnabled"] = Has("bucketkey", 0.5),
                        }),
                    },
                };
            case "GetBucketVersioning":
                return Has("versioning", 0.6) ? new JsonObject { ["Status"] = "Enabled" } : [];
            case "GetPublicAccessBlock":
                if (!Has("pab", 0.8)) throw new SimulatedError(404, "NoSuchPublicAccessBlockConfiguration", "The public access block configuration was not found");
                return new JsonObject
                {
                    ["PublicAccessBlockConfiguration"] = new JsonObject
                    {
                        ["BlockPublicAcls"] = true, ["IgnorePublicAcls"] = true, ["BlockPublicPolicy"] = true, ["RestrictPublicBuckets"] = true,
                    },
                };
            case "GetBucketTagging":
                if (!Has("tags", 0.85)) throw new SimulatedError(404, "NoSuchTagSet", "The TagSet does not exist");
                return new JsonObject { ["TagSet"] = TagList(Tags(bucket.Key, bucket.Born, r.Date)) };
            case "GetBucketPolicy":
                if (!Has("policy", 0.5)) throw new SimulatedError(404, "NoSuchBucketPolicy", "The bucket policy does not exist");
                return new JsonObject
                {
                    ["Policy"] = $"{{\"Version\":\"2012-10-17\",\"Statement\":[{{\"Sid\":\"DenyInsecureTransport\",\"Effect\":\"Deny\",\"Principal\":\"*\",\"Action\":\"s3:*\",\"Resource\":\"arn:aws:s3:::{bucket.Name}/*\",\"Condition\":{{\"Bool\":{{\"aws:SecureTransport\":\"false\"}}}}}}]}}",
                };
            case "GetBucketLifecycleConfiguration":
                if (!Has("lifecycle", 0.4)) throw new SimulatedError(404, "NoSuchLifecycleConfiguration", "The lifecycle configuration does not exist");
                return new JsonObject
                {
                    ["Rules"] = new JsonArray(new JsonObject
                    {
                        ["ID"] = "expire-old-versions", ["Status"] = "Enabled", ["Filter"] = new JsonObject { ["Prefix"] = "archive/" },
                        ["NoncurrentVersionExpiration"] = new JsonObject { ["NoncurrentDays"] = 90 },
                    }),
                };
            case "GetBucketLogging":
                return Has("logging", 0.3)
                    ? new JsonObject { ["LoggingEnabled"] = new JsonObject { ["TargetBucket"] = Buckets(r.AccountId, r.Date)[0].Name, ["TargetPrefix"] = $"logs/{bucket.Name}/" } }
                    : [];
            case "GetBucketReplication":
                if (!Has("replication", 0.2)) throw new SimulatedError(404, "ReplicationConfigurationNotFoundError", "The replication configuration was not found");
                return null;
        }
        return null;
    }
}
