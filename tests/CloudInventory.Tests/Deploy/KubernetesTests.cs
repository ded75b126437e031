using System.Text.Json;
using System.Text.RegularExpressions;

namespace CloudInventory.Tests.Deploy;

[Trait("Category", "Integration")]
public class KubernetesTests
{
    private static readonly Lazy<JsonElement[]> s_manifests = new(() =>
    {
        var files = Directory.GetFiles(Path.Combine(RepositoryRoot.Path, "deploy", "kubernetes"), "*.yaml").Order(StringComparer.Ordinal).ToArray();
        NpmPackages.Directory("kubernetes-models");
        using var doc = JsonDocument.Parse(NpmPackages.RunNode("check-kubernetes.mjs", files));
        return doc.RootElement.EnumerateArray().Select(e => e.Clone()).ToArray();
    });

    private static JsonElement Manifest(string kind) => s_manifests.Value.Single(m => m.GetProperty("kind").GetString() == kind).GetProperty("value");

    [Fact]
    public void Every_manifest_validates_against_the_Kubernetes_schemas()
    {
        Assert.Equal(["CronJob", "Deployment", "Namespace", "Service", "ServiceAccount"], s_manifests.Value.Select(m => m.GetProperty("kind").GetString()).Order(StringComparer.Ordinal));
        foreach (var m in s_manifests.Value)
        {
            var problems = m.GetProperty("problems").EnumerateArray().Select(p => p.GetString()).ToArray();
            Assert.True(problems.Length == 0, $"{m.GetProperty("file").GetString()} {m.GetProperty("kind").GetString()}: {string.Join("; ", problems)}");
        }
    }

    [Fact]
    public void The_validation_rejects_a_wrong_enum_a_missing_field_and_a_wrong_type()
    {
        var file = Path.Combine(Directory.CreateTempSubdirectory("cloudinv-k8s-").FullName, "bad.yaml");
        File.WriteAllText(file, "apiVersion: batch/v1\nkind: CronJob\nmetadata:\n  name: x\nspec:\n  schedule: 5\n  concurrencyPolicy: Sometimes\n  jobTemplate:\n    spec:\n      template:\n        spec:\n          containers:\n            - image: x\n");
        using var doc = JsonDocument.Parse(NpmPackages.RunNode("check-kubernetes.mjs", file));
        var problems = string.Join(" ", doc.RootElement[0].GetProperty("problems").EnumerateArray().Select(p => p.GetString()));
        Assert.Contains("concurrencyPolicy must be equal to one of the allowed values", problems, StringComparison.Ordinal);
        Assert.Contains("must have required property name", problems, StringComparison.Ordinal);
        Assert.Contains("schedule must be string", problems, StringComparison.Ordinal);
        Directory.Delete(Path.GetDirectoryName(file)!, recursive: true);
    }

    [Fact]
    public void The_cronjob_runs_one_indexed_job_of_N_shards_never_overlapping()
    {
        var cron = Manifest("CronJob").GetProperty("spec");
        Assert.Equal("Forbid", cron.GetProperty("concurrencyPolicy").GetString());
        var job = cron.GetProperty("jobTemplate").GetProperty("spec");
        Assert.Equal("Indexed", job.GetProperty("completionMode").GetString());
        var shards = job.GetProperty("completions").GetInt32();
        Assert.Equal(shards, job.GetProperty("parallelism").GetInt32());
        var pod = job.GetProperty("template").GetProperty("spec");
        var container = pod.GetProperty("containers")[0];
        var env = container.GetProperty("env").EnumerateArray().Select(e => e.GetProperty("name").GetString()!).ToList();
        // The index is 0-based and --shard k/n 1-based: the count goes beside the index, cloudinv maps index i to shard i+1.
        var count = container.GetProperty("env").EnumerateArray().Single(e => e.GetProperty("name").GetString() == "CLOUDINV_SHARD_COUNT").GetProperty("value").GetString();
        Assert.Equal(shards.ToString(System.Globalization.CultureInfo.InvariantCulture), count);
        Assert.Contains("JOB_COMPLETION_INDEX", env);
        Assert.Contains("CLOUDINV_JOB_NAME", env); // the shards' shared run id
        Assert.DoesNotContain("CLOUDINV_SHARD", env);
        Assert.Equal("collect", container.GetProperty("args")[0].GetString());
        Assert.Equal("cloudinv", pod.GetProperty("serviceAccountName").GetString());
        AssertHardened(pod, container);
        // Measured peak RSS of a collection is 253-269 MiB (docs/benchmarks.md): the request covers it.
        Assert.True(Mebibytes(container.GetProperty("resources").GetProperty("requests").GetProperty("memory").GetString()!) >= 270);
    }

    [Fact]
    public void The_service_account_is_ready_for_IRSA_and_serve_is_reachable_through_its_service_with_a_token()
    {
        Assert.StartsWith("arn:aws:iam::", Manifest("ServiceAccount").GetProperty("metadata").GetProperty("annotations").GetProperty("eks.amazonaws.com/role-arn").GetString(), StringComparison.Ordinal);
        var deployment = Manifest("Deployment").GetProperty("spec");
        var pod = deployment.GetProperty("template").GetProperty("spec");
        var container = pod.GetProperty("containers")[0];
        Assert.Equal("serve", container.GetProperty("args")[0].GetString());
        Assert.Contains(container.GetProperty("env").EnumerateArray(), e => e.GetProperty("name").GetString() == "CLOUDINV_AUTH_TOKEN" && e.GetProperty("valueFrom").TryGetProperty("secretKeyRef", out _));
        AssertHardened(pod, container);
        var labels = deployment.GetProperty("template").GetProperty("metadata").GetProperty("labels");
        foreach (var selector in Manifest("Service").GetProperty("spec").GetProperty("selector").EnumerateObject())
        {
            Assert.Equal(selector.Value.GetString(), labels.GetProperty(selector.Name).GetString());
        }
    }

    [Fact]
    public async Task The_indexed_jobs_commands_for_every_index_give_the_same_rows_as_one_unsharded_run()
    {
        var job = Manifest("CronJob").GetProperty("spec").GetProperty("jobTemplate").GetProperty("spec");
        var shards = job.GetProperty("completions").GetInt32();
        var container = job.GetProperty("template").GetProperty("spec").GetProperty("containers")[0];
        await using var cloud = await CloudInventory.Simulator.SimulatedCloud.StartAsync(new CloudInventory.Simulator.SimulatorOptions { Seed = 31, Accounts = 4, Regions = ["us-east-1", "eu-west-1"] });
        var root = Directory.CreateTempSubdirectory("cloudinv-k8s-shards-").FullName;
        var jobName = $"cloudinv-collect-{DateTimeOffset.UtcNow.ToUnixTimeSeconds() / 60}"; // a CronJob's Job: <name>-<scheduled minute>
        try
        {
            string[] Args(string store)
            {
                // The container's command with the store and the endpoint pointed here, and a few tables to keep it quick.
                var args = container.GetProperty("args").EnumerateArray().Select(a => a.GetString()!).ToArray();
                var at = Array.IndexOf(args, "--store");
                args[at + 1] = store;
                return [.. args, "--endpoint-url", cloud.Endpoint.ToString(), "--tables", "aws_ec2_vpcs", "aws_ec2_subnets", "aws_s3_buckets", "aws_iam_roles", "--format", "json"];
            }

            // The pod's environment as Kubernetes builds it for index i: values in order, $(VAR) expanded from earlier ones.
            Dictionary<string, string> Environment(int? index)
            {
                var env = new Dictionary<string, string>(StringComparer.Ordinal);
                foreach (var e in container.GetProperty("env").EnumerateArray())
                {
                    var name = e.GetProperty("name").GetString()!;
                    if (name is "HOME" or "TMPDIR") continue;
                    string? value = e.TryGetProperty("value", out var v) ? Regex.Replace(v.GetString()!, @"\$\(([A-Z_]+)\)", m => env.GetValueOrDefault(m.Groups[1].Value, m.Value))
                        : e.GetProperty("valueFrom").TryGetProperty("fieldRef", out var field) && field.GetProperty("fieldPath").GetString()!.Contains("job-completion-index", StringComparison.Ordinal) ? index?.ToString(System.Globalization.CultureInfo.InvariantCulture)
                        : e.GetProperty("valueFrom").TryGetProperty("fieldRef", out var label) && label.GetProperty("fieldPath").GetString()!.Contains("job-name", StringComparison.Ordinal) ? jobName
                        : e.GetProperty("valueFrom").TryGetProperty("secretKeyRef", out _) ? "k8s-test-secret-value"
                        : null;
                    if (value is not null) env[name] = value;
                }
                if (index is null) env = env.Where(kv => kv.Key is not ("JOB_COMPLETION_INDEX" or "CLOUDINV_SHARD_COUNT" or "CLOUDINV_JOB_NAME")).ToDictionary();
                return env;
            }

            (int Code, string Out, string Err) Collect(string store, int? index)
            {
                var env = Environment(index);
                CloudInventory.Cli.Commands.CollectCommand.Credentials.Value = CloudInventory.Aws.Credentials.AwsCredentialSource.Static(cloud.ManagementAccessKey, cloud.SecretFor(cloud.ManagementAccessKey));
                CloudInventory.Cli.CliApp.EnvironmentOverride.Value = name => env.GetValueOrDefault(name);
                try
                {
                    return CloudInventory.Tests.Query.CliRunner.Run(Args(store));
                }
                finally
                {
                    CloudInventory.Cli.Commands.CollectCommand.Credentials.Value = null;
                    CloudInventory.Cli.CliApp.EnvironmentOverride.Value = null;
                }
            }

            var sharded = Path.Combine(root, "sharded");
            for (var i = 0; i < shards; i++)
            {
                var result = Collect(sharded, i);
                Assert.True(result.Code == 0, $"index {i}: {result.Err}");
            }
            var whole = Path.Combine(root, "whole");
            var unsharded = Collect(whole, null);
            Assert.True(unsharded.Code == 0, unsharded.Err);

            using var a = CloudInventory.Query.InventoryDatabase.Open(whole, CloudInventory.Catalog.TableCatalog.Default);
            using var b = CloudInventory.Query.InventoryDatabase.Open(sharded, CloudInventory.Catalog.TableCatalog.Default);
            Assert.Equal(shards, Assert.Single(b.Runs).Manifests.Count); // one run of n shards
            foreach (var table in new[] { "aws_ec2_vpcs", "aws_ec2_subnets", "aws_s3_buckets", "aws_iam_roles" })
            {
                var sql = $"select count(*) as n, md5(coalesce(string_agg(j, chr(10) order by j), '')) as h from (select to_json(t)::varchar as j from (select * exclude (report_time) from current_{table}) t)";
                string Digest(CloudInventory.Query.InventoryDatabase db)
                {
                    using var reader = db.ExecuteQuery(sql);
                    Assert.True(reader.Read());
                    return $"{reader.GetValue(0)} rows, {reader.GetValue(1)}";
                }
                var expected = Digest(a);
                Assert.False(expected.StartsWith("0 rows", StringComparison.Ordinal), table);
                Assert.Equal(expected, Digest(b));
            }
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    private static void AssertHardened(JsonElement pod, JsonElement container)
    {
        Assert.True(pod.GetProperty("securityContext").GetProperty("runAsNonRoot").GetBoolean());
        Assert.True(container.GetProperty("securityContext").GetProperty("readOnlyRootFilesystem").GetBoolean());
        var mount = container.GetProperty("volumeMounts")[0].GetProperty("mountPath").GetString();
        var env = container.GetProperty("env").EnumerateArray().Where(e => e.TryGetProperty("value", out _)).ToDictionary(e => e.GetProperty("name").GetString()!, e => e.GetProperty("value").GetString());
        Assert.Equal(mount, env["HOME"]);
        Assert.Equal(mount, env["TMPDIR"]);
    }

    private static double Mebibytes(string quantity)
    {
        var m = Regex.Match(quantity, "^([0-9.]+)(Mi|Gi)$");
        Assert.True(m.Success, quantity);
        return double.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) * (m.Groups[2].Value == "Gi" ? 1024 : 1);
    }
}
