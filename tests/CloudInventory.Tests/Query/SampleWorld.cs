namespace CloudInventory.Tests.Query;

/// <summary>
/// A small, known estate over three days, written into a <see cref="TestStore"/>:
/// two accounts, public and private subnets, instances that are added, removed and changed,
/// and a schema change on the last day (kernel_id dropped, boot_mode added).
/// </summary>
internal static class SampleWorld
{
    public const string A = "111111111111";
    public const string B = "222222222222";
    public static readonly DateTime Day1 = new(2026, 3, 1, 6, 0, 0, DateTimeKind.Utc);
    public static readonly DateTime Day2 = Day1.AddDays(1);
    public static readonly DateTime Day3 = Day1.AddDays(2);

    public static (string Run1, string Run2, string Run3) Build(TestStore store)
    {
        var run1 = store.AddRun(Day1, r => r
            .Table("aws_ec2_subnets", Subnets)
            .Table("aws_ec2_instances", Instances([
                ("i-1", A, "subnet-pub", "running", "'Application': 'checkout', 'Name': 'web-1'", "vol-1"),
                ("i-2", A, "subnet-pub", "running", "'Application': 'checkout', 'Name': 'web-2'", "vol-2"),
                ("i-3", A, "subnet-priv", "running", "'Application': 'search'", "vol-3"),
                ("i-4", B, "subnet-b-pub", "stopped", "'Application': 'checkout'", "vol-4"),
                ("i-5", B, "subnet-b-priv", "running", "'Team': 'data'", "vol-5"),
                ("i-6", B, "subnet-b-pub", "running", "'Application': 'search'", "vol-6"),
            ], withKernel: true))
            .Empty("aws_s3_buckets"));
        var run2 = store.AddRun(Day2, r => r
            .Table("aws_ec2_subnets", Subnets)
            .Table("aws_ec2_instances", Instances([
                ("i-1", A, "subnet-pub", "running", "'Name': 'web-1', 'Application': 'checkout'", "vol-1"),   // same tags, other order
                ("i-2", A, "subnet-pub", "stopped", "'Application': 'checkout', 'Name': 'web-2'", "vol-2"),   // state changed
                ("i-3", A, "subnet-priv", "running", "'Application': 'search', 'Owner': 'ana'", "vol-3"),     // tag added
                ("i-4", B, "subnet-b-pub", "stopped", "'Application': 'checkout'", "vol-44"),                 // nested volume changed
                ("i-5", B, "subnet-b-priv", "running", "'Team': 'data'", "vol-5"),
                ("i-7", B, "subnet-b-pub", "running", "'Application': 'checkout'", "vol-7"),                  // added; i-6 removed
            ], withKernel: true))
            .Error("aws_s3_buckets", "AccessDenied"), suffix: "b2c3d4");
        var run3 = store.AddRun(Day3, r => r
            .Table("aws_ec2_subnets", Subnets)
            .Table("aws_ec2_instances", Instances([
                ("i-1", A, "subnet-pub", "running", "'Name': 'web-1', 'Application': 'checkout'", "vol-1"),
                ("i-2", A, "subnet-pub", "stopped", "'Application': 'checkout', 'Name': 'web-2'", "vol-2"),
                ("i-3", A, "subnet-priv", "running", "'Application': 'search', 'Owner': 'ana'", "vol-3"),
                ("i-4", B, "subnet-b-pub", "stopped", "'Application': 'checkout'", "vol-44"),
                ("i-5", B, "subnet-b-priv", "running", "'Team': 'data'", "vol-5"),
                ("i-7", B, "subnet-b-pub", "running", "'Application': 'checkout'", "vol-7"),
                ("i-8", A, "subnet-pub", "pending", "'Application': 'search'", "vol-8"),
            ], withKernel: false)), suffix: "c3d4e5");
        return (run1, run2, run3);
    }

    public const string Subnets = $$"""
        SELECT * FROM (VALUES
          ('subnet-pub', '{{A}}', 'eu-west-1', 'vpc-a', 'available', MAP {'Layer': 'public'}),
          ('subnet-priv', '{{A}}', 'eu-west-1', 'vpc-a', 'available', MAP {'Layer': 'private'}),
          ('subnet-b-pub', '{{B}}', 'us-east-1', 'vpc-b', 'available', MAP {'Layer': 'public'}),
          ('subnet-b-priv', '{{B}}', 'us-east-1', 'vpc-b', 'available', MAP {'Layer': 'private', 'Application': 'checkout'})
        ) v(subnet_id, account_id, region, vpc_id, state, tags), (SELECT NULL::TIMESTAMPTZ AS report_time)
        """;

    public static string Instances(IEnumerable<(string Id, string Account, string Subnet, string State, string Tags, string Volume)> rows, bool withKernel)
    {
        var values = string.Join(",\n", rows.Select(r =>
            $"('{r.Id}', '{r.Account}', '{(r.Account == A ? "eu-west-1" : "us-east-1")}', '{r.Subnet}', '{r.State}', MAP {{{r.Tags}}}, '{r.Volume}')"));
        var kernel = withKernel ? "'aki-1' AS kernel_id," : "'uefi' AS boot_mode,";
        return $$"""
            SELECT instance_id, 't3.micro' AS instance_type, {{kernel}}
                   {'code': CASE state WHEN 'running' THEN 16 WHEN 'stopped' THEN 80 ELSE 0 END, 'name': state} AS state,
                   subnet_id, [{'device_name': '/dev/xvda', 'ebs': {'volume_id': volume, 'status': 'attached'} }] AS block_device_mappings,
                   tags, account_id, region, NULL::TIMESTAMPTZ AS report_time
            FROM (VALUES {{values}}) v(instance_id, account_id, region, subnet_id, state, tags, volume)
            """;
    }
}
