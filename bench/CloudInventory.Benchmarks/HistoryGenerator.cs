using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using DuckDB.NET.Data;

namespace CloudInventory.Benchmarks;

/// <summary>
/// Generates a store of daily snapshots in the store layout (one run per day, one zstd Parquet file
/// per table, a manifest written last) straight from DuckDB <c>range()</c> SELECTs. Resources drift:
/// each day a few are created and retired and about 2% of instances change state.
/// </summary>
internal static class HistoryGenerator
{
    /// <summary>The tables and their share of the daily resources (sums to 1).</summary>
    public static readonly (string Table, string Dir, double Share)[] Tables =
    [
        ("aws_ec2_instances", "aws/ec2/instances", 0.40),
        ("aws_ec2_volumes", "aws/ec2/volumes", 0.25),
        ("aws_lambda_functions", "aws/lambda/functions", 0.15),
        ("aws_s3_buckets", "aws/s3/buckets", 0.10),
        ("aws_iam_roles", "aws/iam/roles", 0.10),
    ];

    public static readonly DateOnly FirstDay = new(2025, 1, 1);

    /// <summary>Writes <paramref name="days"/> daily runs of <paramref name="perDay"/> resources; returns the elapsed time.</summary>
    public static TimeSpan Generate(string root, int days, int perDay, IReadOnlyList<string>? onlyTables = null, Action<string>? log = null)
    {
        var sw = Stopwatch.StartNew();
        using var duck = new DuckDBConnection("DataSource=:memory:");
        duck.Open();
        for (var d = 0; d < days; d++)
        {
            var date = FirstDay.AddDays(d);
            var ds = date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
            var runId = date.ToString("yyyyMMdd", CultureInfo.InvariantCulture) + "T060000Z-" + (0xa00000 + d).ToString("x6", CultureInfo.InvariantCulture);
            var files = new List<object>();
            foreach (var (table, dir, share) in Tables)
            {
                if (onlyTables is not null && !onlyTables.Contains(table)) continue;
                var count = (int)(perDay * (onlyTables is null ? share : 1.0 / onlyTables.Count));
                var churn = Math.Max(1, count / 500);
                var start = (long)d * churn;
                var rel = $"{dir}/report_date={ds}/{runId}.parquet";
                var full = Path.Combine(root, rel);
                Directory.CreateDirectory(Path.GetDirectoryName(full)!);
                using var cmd = duck.CreateCommand();
                cmd.CommandText = $"COPY ({Select(table, d, ds, start, count)}) TO '{full}' (FORMAT parquet, COMPRESSION zstd)";
                cmd.ExecuteNonQuery();
                files.Add(new { table, path = rel, rows = count, bytes = new FileInfo(full).Length, sha256 = "" });
            }
            var manifest = new
            {
                run_id = runId, shard = (string?)null, report_date = ds, report_time = ds + "T06:00:00Z", started_at = ds + "T06:00:00Z",
                finished_at = ds + "T06:20:00Z", status = "complete", tool_version = "0.1.0", files, tables = Array.Empty<object>(),
                errors = 0, api_calls = 25000, throttles = 12, duration_ms = 1200000,
            };
            var runs = Path.Combine(root, "_runs", "report_date=" + ds);
            Directory.CreateDirectory(runs);
            File.WriteAllText(Path.Combine(runs, runId + ".json"), JsonSerializer.Serialize(manifest));
            if (log is not null && (d + 1) % 30 == 0) log($"  {d + 1}/{days} days, {sw.Elapsed.TotalSeconds:F0} s");
        }
        return sw.Elapsed;
    }

    private static string Select(string table, int day, string date, long start, int count)
    {
        var common = $"""
            FROM (SELECT n, '1000000000' || lpad((n % 20)::VARCHAR, 2, '0') AS acct,
                         ['us-east-1', 'eu-west-1', 'eu-central-1', 'ap-southeast-2'][1 + (n // 20) % 4] AS reg,
                         MAP {'{'}'Application': 'app-' || (n % 20), 'Environment': CASE WHEN n % 3 = 0 THEN 'dev' ELSE 'prod' END, 'Owner': 'team-' || (n % 7), 'Name': 'res-' || n{'}'} AS tg,
                         (hash(n) + {day}) % 100 < 10 AS stopped
                  FROM range({start}, {start + count}) r(n))
            """;
        var time = $"TIMESTAMPTZ '{date} 06:00:00+00' AS report_time";
        return table switch
        {
            "aws_ec2_instances" => $"""
                SELECT 'r-' || lpad(to_hex(n // 4), 12, '0') AS reservation_id, acct AS owner_id,
                       'ami-' || lpad(to_hex(n % 500), 8, '0') AS image_id, 'i-' || lpad(to_hex(n), 17, '0') AS instance_id,
                       ['t3.micro', 't3.large', 'm5.xlarge', 'c6g.large', 'r6i.2xlarge'][1 + n % 5] AS instance_type,
                       TIMESTAMPTZ '2024-01-01 00:00:00+00' + to_seconds(n * 37) AS launch_time,
                       {'{'}'state': 'disabled'{'}'} AS monitoring,
                       {'{'}'availability_zone': reg || ['a', 'b', 'c'][1 + n % 3], 'tenancy': 'default'{'}'} AS placement,
                       '10.' || (n // 65536 % 256) || '.' || (n // 256 % 256) || '.' || (n % 256) AS private_ip_address,
                       {'{'}'code': CASE WHEN stopped THEN 80 ELSE 16 END, 'name': CASE WHEN stopped THEN 'stopped' ELSE 'running' END{'}'} AS state,
                       'subnet-' || lpad(to_hex(n % 2000), 8, '0') AS subnet_id, 'vpc-' || lpad(to_hex(n % 200), 8, '0') AS vpc_id,
                       'x86_64' AS architecture,
                       [{'{'}'device_name': '/dev/xvda', 'ebs': {'{'}'attach_time': TIMESTAMPTZ '2024-01-01 00:00:00+00' + to_seconds(n * 37), 'delete_on_termination': true,
                          'status': 'attached', 'volume_id': 'vol-' || lpad(to_hex(n), 17, '0'){'}'}{'}'}] AS block_device_mappings,
                       true AS ebs_optimized, 'xen' AS hypervisor, 'ebs' AS root_device_type,
                       [{'{'}'group_name': 'app-' || (n % 20), 'group_id': 'sg-' || lpad(to_hex(n % 300), 8, '0'){'}'}] AS security_groups,
                       tg AS tags, {'{'}'core_count': 2, 'threads_per_core': 2{'}'} AS cpu_options,
                       {'{'}'state': 'applied', 'http_tokens': 'required', 'http_put_response_hop_limit': 2{'}'} AS metadata_options,
                       'Linux/UNIX' AS platform_details, acct AS account_id, reg AS region, {time}
                {common}
                """,
            "aws_ec2_volumes" => $"""
                SELECT [{'{'}'attach_time': TIMESTAMPTZ '2024-01-01 00:00:00+00' + to_seconds(n * 37), 'device': '/dev/xvda',
                         'instance_id': 'i-' || lpad(to_hex(n), 17, '0'), 'state': 'attached', 'volume_id': 'vol-' || lpad(to_hex(n), 17, '0'){'}'}] AS attachments,
                       reg || 'a' AS availability_zone, TIMESTAMPTZ '2024-01-01 00:00:00+00' + to_seconds(n * 37) AS create_time, true AS encrypted,
                       8 * (1 + n % 16) AS size, CASE WHEN stopped THEN 'available' ELSE 'in-use' END AS state, 'vol-' || lpad(to_hex(n), 17, '0') AS volume_id,
                       3000 AS iops, tg AS tags, 'gp3' AS volume_type, 125 AS throughput, acct AS account_id, reg AS region, {time}
                {common}
                """,
            "aws_lambda_functions" => $"""
                SELECT 'fn-' || n AS function_name, 'arn:aws:lambda:' || reg || ':' || acct || ':function:fn-' || n AS function_arn,
                       ['python3.12', 'nodejs20.x', 'java21', 'dotnet8'][1 + n % 4] AS runtime, 'arn:aws:iam::' || acct || ':role/fn-' || (n % 50) AS role,
                       'index.handler' AS handler, 10000 + n % 5000 AS code_size, 30 AS timeout, 128 * (1 + n % 8) AS memory_size,
                       '2024-06-01T00:00:00.000+0000' AS last_modified, md5(n::VARCHAR) AS code_sha256, '$LATEST' AS version,
                       {'{'}'mode': 'PassThrough'{'}'} AS tracing_config, 'Active' AS state, 'Zip' AS package_type, ['x86_64'] AS architectures,
                       tg AS tags, acct AS account_id, reg AS region, {time}
                {common}
                """,
            "aws_s3_buckets" => $"""
                SELECT 'bucket-' || n || '-' || acct AS name, TIMESTAMPTZ '2023-01-01 00:00:00+00' + to_seconds(n * 11) AS creation_date, reg AS bucket_region,
                       {'{'}'status': CASE WHEN n % 2 = 0 THEN 'Enabled' ELSE 'Suspended' END, 'mfa_delete': 'Disabled'{'}'} AS versioning,
                       {'{'}'block_public_acls': true, 'ignore_public_acls': true, 'block_public_policy': true, 'restrict_public_buckets': true{'}'} AS public_access_block,
                       {'{'}'is_public': false{'}'} AS policy_status, tg AS tags, acct AS account_id, 'us-east-1' AS region, {time}
                {common}
                """,
            _ => $"""
                SELECT '/' AS path, 'role-' || n AS role_name, 'AROA' || upper(lpad(to_hex(n), 17, '0')) AS role_id,
                       'arn:aws:iam::' || acct || ':role/role-' || n AS arn, TIMESTAMPTZ '2023-01-01 00:00:00+00' + to_seconds(n * 13) AS create_date,
                       '{'{'}"Version":"2012-10-17","Statement":[{'{'}"Effect":"Allow","Principal":{'{'}"Service":"ec2.amazonaws.com"{'}'},"Action":"sts:AssumeRole"{'}'}]{'}'}' AS assume_role_policy_document,
                       3600 AS max_session_duration, tg AS tags, acct AS account_id, 'us-east-1' AS region, {time}
                {common}
                """,
        };
    }
}
