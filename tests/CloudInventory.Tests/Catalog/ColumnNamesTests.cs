using CloudInventory.Catalog.Internal;

namespace CloudInventory.Tests.Catalog;

public class ColumnNamesTests
{
    [Theory]
    [InlineData("AmiLaunchIndex", "ami_launch_index")]
    [InlineData("IamInstanceProfile", "iam_instance_profile")]
    [InlineData("Ipv6Addresses", "ipv6_addresses")]
    [InlineData("SriovNetSupport", "sriov_net_support")]
    [InlineData("DBInstanceIdentifier", "db_instance_identifier")]
    [InlineData("InstanceId", "instance_id")]
    [InlineData("clusterArn", "cluster_arn")]
    [InlineData("RoleARNs", "role_arns")]
    [InlineData("ARN", "arn")]
    [InlineData("KMSKeyId", "kms_key_id")]
    [InlineData("S3BucketName", "s3_bucket_name")]
    [InlineData("Ec2InstanceId", "ec2_instance_id")]
    [InlineData("IPv6CidrBlock", "ipv6_cidr_block")]
    [InlineData("DHCPOptions", "dhcp_options")]
    [InlineData("VPCSecurityGroupIds", "vpc_security_group_ids")]
    [InlineData("MFADelete", "mfa_delete")]
    [InlineData("UUID", "uuid")]
    [InlineData("snake_case_already", "snake_case_already")]
    [InlineData("x-amz-meta", "x_amz_meta")]
    public void Turns_model_names_into_snake_case(string name, string expected) =>
        Assert.Equal(expected, ColumnNames.ToSnakeCase(name));

    [Theory]
    [InlineData("queue_urls", "queue_url")]
    [InlineData("policies", "policy")]
    [InlineData("addresses", "address")]
    [InlineData("status", "status")]
    [InlineData("table_names", "table_name")]
    public void Singularises_plural_names_for_single_value_rows(string plural, string expected) =>
        Assert.Equal(expected, ColumnNames.Singular(plural));
}
