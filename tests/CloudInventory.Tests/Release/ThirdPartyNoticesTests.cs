using System.Text.Json;

namespace CloudInventory.Tests.Release;

/// <summary>THIRD-PARTY-NOTICES.md names every package the tool runs with, at the version it runs with.</summary>
public class ThirdPartyNoticesTests
{
    private static string Notices => File.ReadAllText(Path.Combine(RepositoryRoot.Path, "THIRD-PARTY-NOTICES.md"));

    /// <summary>The packages in the cloudinv tool's restore graph, without build-time-only ones (PrivateAssets=all, e.g. MinVer).</summary>
    private static IReadOnlyList<(string Name, string Version)> RuntimePackages()
    {
        var assets = Path.Combine(RepositoryRoot.Path, "src", "CloudInventory.Cli", "obj", "project.assets.json");
        using var doc = JsonDocument.Parse(File.ReadAllBytes(assets));
        var root = doc.RootElement;
        var buildOnly = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var framework in root.GetProperty("project").GetProperty("frameworks").EnumerateObject())
        {
            if (!framework.Value.TryGetProperty("dependencies", out var dependencies)) continue;
            foreach (var d in dependencies.EnumerateObject())
            {
                if (d.Value.TryGetProperty("suppressParent", out var s) && s.GetString() == "All") buildOnly.Add(d.Name);
            }
        }
        return root.GetProperty("libraries").EnumerateObject()
            .Where(l => l.Value.GetProperty("type").GetString() == "package")
            .Select(l => l.Name.Split('/'))
            .Where(p => !buildOnly.Contains(p[0]))
            .Select(p => (p[0], p[1]))
            .ToArray();
    }

    [Fact]
    public void Name_every_runtime_package_of_the_tool_at_its_version()
    {
        var lines = Notices.Split('\n').Where(l => l.StartsWith('|')).ToArray();
        var packages = RuntimePackages();
        Assert.Contains(packages, p => p.Name == "DuckDB.NET.Bindings.Full");

        var missing = packages
            .Where(p => !lines.Any(l => l.Contains(p.Name, StringComparison.Ordinal) && l.Contains("| " + p.Version + " |", StringComparison.Ordinal)))
            .Select(p => $"{p.Name} {p.Version}")
            .ToArray();

        Assert.True(missing.Length == 0, "add to THIRD-PARTY-NOTICES.md: " + string.Join(", ", missing));
    }

    [Fact]
    public void Name_the_embedded_AWS_model_bundle()
    {
        var source = ToolVersionInfo.Current.AwsModels;
        var version = source[(source.IndexOf('@', StringComparison.Ordinal) + 1)..];

        Assert.Contains($"| AWS service models (npm `aws-sdk`, `apis/`), embedded in CloudInventory.Aws | {version} | Apache-2.0 |", Notices, StringComparison.Ordinal);
    }
}
