using System.Collections;
using System.Reflection;
using System.Text.Json.Nodes;
using Amazon.EC2.Model;
using Amazon.Runtime;
using Amazon.SimpleSystemsManagement.Model;
using BenchmarkDotNet.Attributes;
using CloudInventory.Aws.Protocols;
using CloudInventory.Benchmarks.Pages;

namespace CloudInventory.Benchmarks;

/// <summary>
/// The quick <c>--check</c> mode: runs every <see cref="ProtocolReaderBenchmarks"/> body once,
/// without BenchmarkDotNet, and verifies what it produced against what the page generator wrote:
/// every scalar value seen (ours and the SDK's), the integer sum, and the item count.
/// </summary>
internal static class ProtocolReaderCheck
{
    /// <summary>Runs the check, printing one line per benchmark; returns the process exit code.</summary>
    public static int Run(TextWriter output)
    {
        var benchmarks = new ProtocolReaderBenchmarks();
        benchmarks.Setup();
        var failures = 0;
        var methods = typeof(ProtocolReaderBenchmarks).GetMethods(BindingFlags.Public | BindingFlags.Instance)
            .Where(m => m.GetCustomAttribute<BenchmarkAttribute>() is not null)
            .OrderBy(m => m.Name, StringComparer.Ordinal);
        foreach (var method in methods)
        {
            var page = method.Name.StartsWith("Ec2_", StringComparison.Ordinal) ? benchmarks.Ec2Page : benchmarks.SsmPage;
            string? problem;
            try
            {
                problem = Verify(method.Invoke(benchmarks, null), page);
            }
            catch (TargetInvocationException ex)
            {
                problem = "threw " + ex.InnerException;
            }
            if (problem is null)
            {
                output.WriteLine($"ok    {method.Name}: {page.Items} items, {page.Leaves} values, {page.Body.Length:N0} bytes");
            }
            else
            {
                failures++;
                output.WriteLine($"FAIL  {method.Name}: {problem}");
            }
        }
        return failures == 0 ? 0 : 1;
    }

    private static string? Verify(object? result, GeneratedPage page) => result switch
    {
        CountingVisitor counter =>
            counter.Leaves != page.Leaves ? $"counted {counter.Leaves} values, the page has {page.Leaves}"
            : counter.IntegerSum != page.IntegerSum ? $"integers sum to {counter.IntegerSum}, the page's to {page.IntegerSum}"
            : null,
        ValueTreeBuilder tree => VerifyTree(tree.Root, page),
        DescribeInstancesResponse ec2 => VerifySdk(ec2, ec2.Reservations?.Sum(r => r.Instances?.Count ?? 0) ?? 0, page),
        DescribeInstanceInformationResponse ssm => VerifySdk(ssm, ssm.InstanceInformationList?.Count ?? 0, page),
        _ => $"no verification for a result of type {result?.GetType().Name ?? "null"}",
    };

    private static string? VerifyTree(JsonObject? root, GeneratedPage page)
    {
        if (root is null) return "no tree was built";
        var items = root["Reservations"] is JsonArray reservations
            ? reservations.Sum(r => r?["Instances"]?.AsArray().Count ?? 0)
            : root["InstanceInformationList"]?.AsArray().Count ?? 0;
        var leaves = CountLeaves(root);
        return items != page.Items ? $"tree has {items} items, the page {page.Items}"
            : leaves != page.Leaves ? $"tree has {leaves} values, the page {page.Leaves}"
            : null;
    }

    private static int CountLeaves(JsonNode? node) => node switch
    {
        JsonObject obj => obj.Sum(p => CountLeaves(p.Value)),
        JsonArray array => array.Sum(CountLeaves),
        JsonValue => 1,
        _ => 0,
    };

    private static string? VerifySdk(AmazonWebServiceResponse response, int items, GeneratedPage page)
    {
        var leaves = CountSdkLeaves(response);
        return items != page.Items ? $"the SDK read {items} items, the page has {page.Items}"
            : leaves != page.Leaves ? $"the SDK read {leaves} values, the page has {page.Leaves}"
            : null;
    }

    /// <summary>Counts the non-null scalar properties of an SDK model object graph (response metadata excluded).</summary>
    private static int CountSdkLeaves(object? value) => value switch
    {
        null => 0,
        string or ConstantClass or DateTime or bool or int or long or double or float or decimal or MemoryStream => 1,
        IDictionary dict => dict.Values.Cast<object?>().Sum(CountSdkLeaves),
        IList list => list.Cast<object?>().Sum(CountSdkLeaves),
        _ => value.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.DeclaringType != typeof(AmazonWebServiceResponse) && p.GetIndexParameters().Length == 0)
            .Sum(p => CountSdkLeaves(p.GetValue(value))),
    };
}
