using CloudInventory.Catalog;
using CloudInventory.Collection;
using CloudInventory.Collection.Internal;
using CloudInventory.Storage;

namespace CloudInventory.Tests.Collection.Internal;

public sealed class RunPublisherTests
{
    private static readonly WorkUnit Unit = new("000000000001", "eu-west-1", TableCatalog.Default.Find("aws_ec2_vpcs")!);
    private static readonly RunManifestTable Ok = new("aws_ec2_vpcs", "000000000001", "eu-west-1", 3, TableRunStatus.Ok);
    private static readonly RunManifestTable Denied = new("aws_ec2_vpcs", "000000000001", "eu-west-1", 0, TableRunStatus.Skipped, "AccessDenied");

    private static CollectionError Error(string code, string operation = "ec2:DescribeVpcs") =>
        new("000000000001", "eu-west-1", "aws_ec2_vpcs", operation, code, "message", 1, null);

    [Fact]
    public void A_run_without_failures_is_complete_even_with_skips() =>
        Assert.Equal(RunStatus.Complete, RunPublisher.StatusOf([Unit], [Ok, Denied], [Error("AccessDenied")], accountsNotEntered: 0));

    [Fact]
    public void A_failed_call_makes_the_run_partial() =>
        Assert.Equal(RunStatus.Partial, RunPublisher.StatusOf([Unit], [Ok], [Error("InternalError")], accountsNotEntered: 0));

    [Theory]
    [InlineData("sts:AssumeRole")]
    [InlineData("ec2:DescribeRegions")]
    public void An_account_that_could_not_be_entered_is_a_failure_whatever_its_code(string operation) =>
        Assert.Equal(RunStatus.Partial, RunPublisher.StatusOf([Unit], [Ok], [Error("AccessDenied", operation)], accountsNotEntered: 1));

    [Fact]
    public void A_run_with_no_data_at_all_failed()
    {
        Assert.Equal(RunStatus.Failed, RunPublisher.StatusOf([Unit], [Denied with { Status = TableRunStatus.Error }], [Error("InternalError")], accountsNotEntered: 0));
        Assert.Equal(RunStatus.Failed, RunPublisher.StatusOf([], [], [Error("AccessDenied", "sts:AssumeRole")], accountsNotEntered: 1));
    }
}
