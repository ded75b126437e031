using CloudInventory.Catalog;

namespace CloudInventory.Tests.Catalog;

public class ReadVerbsTests
{
    [Theory]
    [InlineData("DescribeInstances", true)]
    [InlineData("ListBuckets", true)]
    [InlineData("GetBucketPolicy", true)]
    [InlineData("Getaway", false)]
    [InlineData("List", false)]
    [InlineData("listBuckets", false)]
    [InlineData("DeleteBucket", false)]
    [InlineData("CreateTable", false)]
    [InlineData("BatchGetProjects", false)]
    [InlineData("SearchResources", false)]
    [InlineData("LookupEvents", false)]
    public void Allows_only_list_describe_and_get(string operation, bool read) =>
        Assert.Equal(read, ReadVerbs.IsRead(operation));

    [Theory]
    [InlineData("GetSecretValue")]
    [InlineData("GetParameter")]
    [InlineData("GetParameters")]
    [InlineData("GetParametersByPath")]
    [InlineData("GetPasswordData")]
    [InlineData("GetAuthorizationToken")]
    [InlineData("GetSessionToken")]
    [InlineData("GetObject")]
    [InlineData("GetRecords")]
    [InlineData("GetLaunchTemplateData")]
    [InlineData("GetConsoleOutput")]
    public void Knows_the_reads_that_return_secrets_or_data(string operation) =>
        Assert.True(ReadVerbs.ReturnsSecretsOrData(operation));

    [Theory]
    [InlineData("GetBucketPolicy")]
    [InlineData("GetKeyPolicy")]
    [InlineData("GetAccountPasswordPolicy")]
    [InlineData("GetAccessKeyLastUsed")]
    public void Lets_configuration_reads_through(string operation) =>
        Assert.False(ReadVerbs.ReturnsSecretsOrData(operation));
}
