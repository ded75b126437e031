namespace CloudInventory.Tests.Release;

public class ToolVersionInfoTests
{
    [Fact]
    public void The_version_is_semantic_without_build_metadata_and_the_commit_is_a_git_hash()
    {
        var info = ToolVersionInfo.Current;

        Assert.Matches(@"^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$", info.Version);
        Assert.NotNull(info.Commit);
        Assert.Matches("^[0-9a-f]{40}$", info.Commit);
    }

    [Fact]
    public void Describes_version_commit_model_bundle_and_store_format_one_per_line()
    {
        var info = ToolVersionInfo.Current;

        Assert.Equal(
            [$"cloudinv {info.Version}", $"commit {info.Commit}", $"aws models {info.AwsModels}", "store format 1"],
            info.Describe());
        Assert.StartsWith("aws-sdk@", info.AwsModels, StringComparison.Ordinal);
    }

    [Fact]
    public void Manifests_record_the_same_version()
    {
        Assert.Equal(ToolVersionInfo.Current.Version, CloudInventory.Collection.InventoryCollector.ToolVersion);
    }
}
