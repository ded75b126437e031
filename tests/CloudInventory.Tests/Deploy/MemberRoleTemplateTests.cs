using System.Text.Json;
using CloudInventory.Catalog.Generation;

namespace CloudInventory.Tests.Deploy;

public class MemberRoleTemplateTests
{
    private static readonly string s_template = Path.Combine(RepositoryRoot.Path, "deploy", "stackset", "member-role.template.json");

    [Fact]
    public void The_committed_template_references_only_its_parameters_and_resources_and_carries_the_committed_policy()
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(s_template));
        var root = doc.RootElement;
        Assert.Equal("2010-09-09", root.GetProperty("AWSTemplateFormatVersion").GetString());
        Assert.InRange(root.GetProperty("Description").GetString()!.Length, 1, 1024);
        var parameters = root.GetProperty("Parameters").EnumerateObject().Select(p => p.Name).ToHashSet();
        var resources = root.GetProperty("Resources").EnumerateObject().ToDictionary(p => p.Name, p => p.Value);
        Assert.All(resources.Values, r => Assert.Contains(r.GetProperty("Type").GetString(), new[] { "AWS::IAM::Role", "AWS::IAM::ManagedPolicy" }));
        foreach (var reference in Refs(root)) Assert.True(parameters.Contains(reference) || resources.ContainsKey(reference), $"Ref {reference} resolves to nothing");
        Assert.True(File.ReadAllBytes(s_template).Length <= 51_200, "a template body passed inline is at most 51,200 bytes");

        var role = resources["ReaderRole"].GetProperty("Properties");
        var trust = role.GetProperty("AssumeRolePolicyDocument").GetProperty("Statement")[0];
        Assert.Equal("CollectorRoleArn", trust.GetProperty("Principal").GetProperty("AWS").GetProperty("Ref").GetString());
        Assert.Equal("ExternalId", trust.GetProperty("Condition").GetProperty("StringEquals").GetProperty("sts:ExternalId").GetProperty("Ref").GetString());

        var committed = Directory.GetFiles(Path.Combine(RepositoryRoot.Path, "deploy", "iam"), "cloudinv-read-*.json").Order(StringComparer.Ordinal).ToArray();
        var policies = resources.Where(r => r.Value.GetProperty("Type").GetString() == "AWS::IAM::ManagedPolicy").OrderBy(r => r.Key, StringComparer.Ordinal).ToArray();
        Assert.Equal(committed.Length, policies.Length);
        Assert.Equal(policies.Select(p => p.Key), role.GetProperty("ManagedPolicyArns").EnumerateArray().Select(a => a.GetProperty("Ref").GetString()));
        for (var i = 0; i < committed.Length; i++)
        {
            using var expected = JsonDocument.Parse(File.ReadAllText(committed[i]));
            var actual = policies[i].Value.GetProperty("Properties").GetProperty("PolicyDocument");
            Assert.Equal(expected.RootElement.GetRawText().Replace(" ", "", StringComparison.Ordinal).Replace("\n", "", StringComparison.Ordinal),
                actual.GetRawText().Replace(" ", "", StringComparison.Ordinal).Replace("\n", "", StringComparison.Ordinal).Replace("\r", "", StringComparison.Ordinal));
            Assert.InRange(IamPolicy.SizeOf(actual.GetRawText()), 1, IamPolicy.ManagedPolicyLimit);
        }
    }

    private static IEnumerable<string> Refs(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Object => element.EnumerateObject().SelectMany(p => p.Name == "Ref" ? [p.Value.GetString()!] :
            p.Name == "Fn::GetAtt" ? [p.Value[0].GetString()!] : Refs(p.Value)),
        JsonValueKind.Array => element.EnumerateArray().SelectMany(Refs),
        _ => [],
    };
}
