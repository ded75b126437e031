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
        var shard = container.GetProperty("env").EnumerateArray().Single(e => e.GetProperty("name").GetString() == "CLOUDINV_SHARD").GetProperty("value").GetString();
        Assert.Equal($"$(JOB_COMPLETION_INDEX)/{shards}", shard);
        Assert.True(env.IndexOf("JOB_COMPLETION_INDEX") < env.IndexOf("CLOUDINV_SHARD"), "a $(VAR) expands only variables declared before it");
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
