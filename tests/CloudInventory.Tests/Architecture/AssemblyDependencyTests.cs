using System.Reflection;
using CloudInventory.Aws.Client;
using CloudInventory.Simulator;

namespace CloudInventory.Tests.Architecture;

/// <summary>The assemblies split along dependency seams: a consumer never drags natives it does not call.</summary>
public sealed class AssemblyDependencyTests
{
    private static readonly string[] StorageAndQuery = ["CloudInventory", "DuckDB.NET.Data", "DuckDB.NET.Bindings", "ParquetSharp", "Apache.Arrow", "AWSSDK.S3"];

    [Fact]
    public void The_aws_engine_depends_on_the_aws_sdk_core_only()
    {
        var references = Closure(typeof(AwsClient).Assembly);
        Assert.DoesNotContain(references, r => StorageAndQuery.Contains(r, StringComparer.Ordinal));
        Assert.All(references.Where(r => !IsFramework(r)), r => Assert.StartsWith("AWSSDK.", r, StringComparison.Ordinal));
    }

    [Fact]
    public void The_simulator_references_the_engine_but_neither_duckdb_nor_parquet()
    {
        var references = Closure(typeof(SimulatedCloud).Assembly);
        Assert.Contains("CloudInventory.Aws", references);
        Assert.DoesNotContain(references, r => StorageAndQuery.Contains(r, StringComparer.Ordinal));
    }

    private static bool IsFramework(string name) =>
        name.StartsWith("System", StringComparison.Ordinal) || name.StartsWith("Microsoft.", StringComparison.Ordinal) || name is "netstandard" or "mscorlib";

    // Every assembly reachable through references, loaded by name from the test's output folder.
    private static HashSet<string> Closure(Assembly root)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var pending = new Stack<AssemblyName>(root.GetReferencedAssemblies());
        while (pending.TryPop(out var name))
        {
            if (name.Name is null || !seen.Add(name.Name) || IsFramework(name.Name)) continue;
            foreach (var next in Assembly.Load(name).GetReferencedAssemblies()) pending.Push(next);
        }
        return seen;
    }
}
