using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Apache.Arrow;
using CloudInventory.Catalog;
using CloudInventory.Collection;
using CloudInventory.Collection.Internal;
using CloudInventory.Storage;
using Table = CloudInventory.Catalog.Table;

namespace CloudInventory.Benchmarks.Dashboard;

/// <summary>
/// Writes a long history store in the product's own format, fast: one run per day, one Parquet file per table written by
/// the product's <see cref="ParquetSink"/> (the run writer's row-group settings) and published through
/// <see cref="LocalInventoryStore"/> (size and SHA-256), then the <see cref="RunManifest"/> with its per-unit entries, last.
/// Collecting 365 days of 100k resources from the simulator would take hours; here every resource's row is built once (as
/// the catalog's columns, through <see cref="TableRowBuffer"/>) in two versions, and each day's file is the day's window
/// of resources cut as Arrow slices of those batches.
/// <para>The world: 20 accounts × 4 regions (global tables: one <c>global</c> unit per account). Per table, 0.2% of the
/// resources are created and as many retired each day (a sliding window of ids); resources change in blocks of 1,024
/// (instance state and type, volume state and size, Lambda memory, bucket versioning, role session length and Owner tag)
/// about every 25 days, so ~2% change each day. Every 30th day one account's S3 listing is denied: the unit is skipped
/// (not observed), with its error in the errors file, as a real run records it.</para>
/// </summary>
internal static class DashboardStoreGenerator
{
    private const int Accounts = 20;
    private const int BlockRows = 1024;
    private const int PhaseDays = 25;
    private static readonly string[] s_regions = ["us-east-1", "eu-west-1", "eu-central-1", "ap-southeast-2"];

    /// <summary>The tables and their share of the daily resources (sums to 1).</summary>
    public static IReadOnlyList<(string Table, double Share)> Tables { get; } =
    [
        ("aws_ec2_instances", 0.40),
        ("aws_ec2_volumes", 0.25),
        ("aws_lambda_functions", 0.15),
        ("aws_s3_buckets", 0.10),
        ("aws_iam_roles", 0.10),
    ];

    /// <summary>The first day of the history: the last day is yesterday, so the store ends today.</summary>
    public static DateOnly FirstDay(int days) => DateOnly.FromDateTime(DateTime.UtcNow).AddDays(-days + 1);

    /// <summary>The account whose S3 listing is denied on the faulty days.</summary>
    public static string DeniedAccount => Account(7);

    /// <summary>Whether day index <paramref name="day"/> has the denied S3 unit.</summary>
    public static bool IsFaulty(int day) => day % 30 == 29;

    /// <summary>Writes <paramref name="days"/> daily runs of <paramref name="perDay"/> resources into <paramref name="root"/>; returns the elapsed time.</summary>
    public static async Task<TimeSpan> GenerateAsync(string root, int days, int perDay, TableCatalog catalog, Action<string> log)
    {
        var sw = Stopwatch.StartNew();
        var store = new LocalInventoryStore(root);
        await store.EnsureWritableAsync();
        var first = FirstDay(days);
        var tables = Tables.Select(t => new GeneratedTable(catalog.Find(t.Table) ?? throw new InvalidOperationException($"{t.Table} is not in the catalog"),
            Math.Max(1, (int)(perDay * t.Share)), days)).ToArray();
        log($"  rows built for {string.Join(", ", tables.Select(t => $"{t.Table.Name} ({t.Universe:N0} ids)"))} in {sw.Elapsed.TotalSeconds:F1} s");
        var staging = Directory.CreateTempSubdirectory("cloudinv-dashgen-").FullName;
        try
        {
            for (var d = 0; d < days; d++)
            {
                var date = first.AddDays(d);
                var reportTime = new DateTimeOffset(date.ToDateTime(new TimeOnly(6, 0), DateTimeKind.Utc));
                var runId = reportTime.UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture) + "-" + (0xa00000 + d).ToString("x6", CultureInfo.InvariantCulture);
                var files = new List<RunManifestFile>();
                var entries = new List<RunManifestTable>();
                var errors = new List<CollectionError>();
                foreach (var table in tables)
                {
                    var denied = IsFaulty(d) && table.Table.Name == "aws_s3_buckets" ? DeniedAccount : null;
                    var local = Path.Combine(staging, table.Table.Name + ".parquet");
                    var counts = table.WriteDay(local, d, reportTime, denied);
                    var published = await store.PublishFileAsync(StoreLayout.TableFilePath(table.Table, date, runId), local);
                    files.Add(new RunManifestFile(table.Table.Name, published.Path, counts.Values.Sum(), published.Bytes, published.Sha256));
                    foreach (var ((account, region), rows) in counts.OrderBy(c => c.Key))
                    {
                        entries.Add(new RunManifestTable(table.Table.Name, account, region, rows, rows == 0 ? TableRunStatus.Empty : TableRunStatus.Ok));
                    }
                    if (denied is not null)
                    {
                        entries.Add(new RunManifestTable(table.Table.Name, denied, "global", 0, TableRunStatus.Skipped, "AccessDenied"));
                        errors.Add(new CollectionError(denied, "global", table.Table.Name, "s3:ListBuckets", "AccessDenied",
                            "User is not authorized to perform: s3:ListBuckets", 1, null));
                    }
                }
                if (errors.Count > 0)
                {
                    using var writer = new RunWriter(runId, null, date);
                    if (await writer.PublishErrorsAsync(store, errors, reportTime) is { } errorFile) files.Add(errorFile);
                }
                var manifest = new RunManifest(runId, null, date, reportTime, reportTime, reportTime.AddMinutes(20), RunStatus.Complete,
                    "bench-generator", files, entries, errors.Count, 25_000 + d % 100, 12, 20 * 60 * 1000);
                await store.WriteManifestAsync(manifest);
                if ((d + 1) % 30 == 0 || d == days - 1) log($"  {d + 1}/{days} days, {sw.Elapsed.TotalSeconds:F0} s");
            }
        }
        finally
        {
            Directory.Delete(staging, recursive: true);
        }
        // The store as every command reads it: every manifest accepted.
        var manifests = await StoreManifests.ReadAsync(store);
        if (manifests.Rejected.Count > 0 || manifests.Accepted.Count != days)
        {
            throw new InvalidOperationException($"the generated store reads back as {manifests.Accepted.Count} manifests, {manifests.Rejected.Count} rejected: {manifests.Rejected.FirstOrDefault()?.Reason}");
        }
        return sw.Elapsed;
    }

    private static string Account(long n) => "1000000000" + (n % Accounts).ToString("D2", CultureInfo.InvariantCulture);

    // SplitMix64 over the pair: a fixed, well-spread hash (not HashCode, which is seeded per process).
    private static ulong Hash(long a, long b)
    {
        var z = unchecked((ulong)a * 0x9E3779B97F4A7C15UL + (ulong)b + 0x632BE59BD9B4E019UL);
        z = unchecked((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL);
        z = unchecked((z ^ (z >> 27)) * 0x94D049BB133111EBUL);
        return z ^ (z >> 31);
    }

    /// <summary>One table of the generated world: every id's row in two versions, as Arrow batches with the table's schema.</summary>
    private sealed class GeneratedTable
    {
        private readonly RecordBatch[] _versions;
        private readonly int _reportTime;
        private readonly int _count;
        private readonly int _churn;
        private readonly bool _global;

        public GeneratedTable(Table table, int count, int days)
        {
            Table = table;
            _count = count;
            _churn = Math.Max(1, count / 500);
            _global = table.Scope == TableScope.Global;
            Universe = count + (days + 1) * _churn;
            _reportTime = table.Columns.ToList().FindIndex(c => c.Name == "report_time");
            _versions = new RecordBatch[2];
            for (var v = 0; v < 2; v++)
            {
                var buffer = new TableRowBuffer(table);
                var values = new JsonNode?[table.Columns.Count];
                for (var id = 0; id < Universe; id++)
                {
                    var row = Row(table.Name, id, v);
                    row["account_id"] = Account(id);
                    row["region"] = RegionOf(id);
                    for (var c = 0; c < values.Length; c++) values[c] = row.TryGetValue(table.Columns[c].Name, out var value) ? value : null;
                    buffer.Append(values);
                }
                _versions[v] = buffer.Flush();
                if (buffer.RejectedValues > 0) throw new InvalidOperationException($"{table.Name}: {buffer.RejectedValues} generated values do not fit their columns");
            }
        }

        public Table Table { get; }

        public int Universe { get; }

        private string RegionOf(long id) => _global ? "global" : s_regions[id / Accounts % s_regions.Length];

        /// <summary>Writes day <paramref name="day"/>'s snapshot; returns its rows per unit (account, region).</summary>
        public Dictionary<(string Account, string Region), long> WriteDay(string path, int day, DateTimeOffset reportTime, string? deniedAccount)
        {
            var counts = new Dictionary<(string, string), long>();
            var start = day * _churn;
            var end = start + _count;
            var times = new TableRowBuffer([Table.Columns[_reportTime]]);
            var time = JsonValue.Create(reportTime);
            for (var i = 0; i < _count; i++) times.Append(new JsonNode?[] { time });
            var timeColumn = times.Flush().Column(0);
            using var sink = new ParquetSink(Table, path, new ParquetSinkOptions { RowGroupRows = 20_000, RowGroupBytes = 8L * 1024 * 1024 });
            for (var id = start; id < end; id++)
            {
                var account = Account(id);
                if (account == deniedAccount) continue;
                var key = (account, RegionOf(id));
                counts[key] = counts.GetValueOrDefault(key) + 1;
            }
            // Blocks of ids, each in the version of its phase; a run of blocks of one version is one slice.
            var id0 = start;
            while (id0 < end)
            {
                var version = VersionOf(id0 / BlockRows, day);
                var runEnd = Math.Min(end, (id0 / BlockRows + 1) * BlockRows);
                while (runEnd < end && VersionOf(runEnd / BlockRows, day) == version) runEnd = Math.Min(end, runEnd + BlockRows);
                Append(sink, _versions[version], id0, runEnd - id0, timeColumn, deniedAccount);
                id0 = runEnd;
            }
            sink.Complete();
            return counts;
        }

        private static int VersionOf(long block, int day) => (int)(Hash(block, (day + (long)(Hash(block, -1) % PhaseDays)) / PhaseDays) & 1);

        private void Append(ParquetSink sink, RecordBatch version, int offset, int length, IArrowArray time, string? deniedAccount)
        {
            if (deniedAccount is null)
            {
                sink.Append(Slice(version, offset, length, time));
                return;
            }
            // The denied account's rows are not in the snapshot: slice around them.
            var runStart = offset;
            for (var id = offset; id <= offset + length; id++)
            {
                if (id < offset + length && Account(id) != deniedAccount) continue;
                if (id > runStart) sink.Append(Slice(version, runStart, id - runStart, time));
                runStart = id + 1;
            }
        }

        private RecordBatch Slice(RecordBatch version, int offset, int length, IArrowArray time)
        {
            var arrays = new IArrowArray[version.ColumnCount];
            for (var c = 0; c < arrays.Length; c++)
            {
                arrays[c] = c == _reportTime ? ArrowArrayFactory.Slice(time, 0, length) : ArrowArrayFactory.Slice(version.Column(c), offset, length);
            }
            return new RecordBatch(version.Schema, arrays, length);
        }
    }

    private static JsonValue Time(long seconds) => JsonValue.Create(new DateTimeOffset(2023, 1, 1, 0, 0, 0, TimeSpan.Zero).AddSeconds(seconds));

    private static string Hex(long n, int width) => n.ToString("x" + width.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);

    private static JsonObject Tags(long id, int version) => new()
    {
        ["Application"] = "app-" + (id % 20),
        ["Environment"] = id % 3 == 0 ? "dev" : "prod",
        ["Owner"] = "team-" + ((id + version * 3) % 7),
        ["Name"] = "res-" + id,
    };

    /// <summary>One resource's row (by column name) in version 0 or 1; columns not named are null.</summary>
    private static Dictionary<string, JsonNode?> Row(string table, long n, int v)
    {
        var account = Account(n);
        var region = s_regions[n / Accounts % s_regions.Length];
        var tags = n % 11 == 0 ? null : Tags(n, v); // some resources are untagged
        return table switch
        {
            "aws_ec2_instances" => new()
            {
                ["reservation_id"] = "r-" + Hex(n / 4, 12), ["owner_id"] = account, ["image_id"] = "ami-" + Hex(n % 500, 8),
                ["instance_id"] = "i-" + Hex(n, 17), ["instance_type"] = v == 0 ? new[] { "t3.micro", "t3.large", "m5.xlarge", "c6g.large", "r6i.2xlarge" }[n % 5] : "m5.2xlarge",
                ["launch_time"] = Time(n * 37), ["monitoring"] = new JsonObject { ["state"] = "disabled" },
                ["placement"] = new JsonObject { ["availability_zone"] = region + "abc"[(int)(n % 3)], ["tenancy"] = "default" },
                ["private_ip_address"] = $"10.{n / 65536 % 256}.{n / 256 % 256}.{n % 256}",
                ["state"] = new JsonObject { ["code"] = v == 0 ? 16 : 80, ["name"] = v == 0 ? "running" : "stopped" },
                ["subnet_id"] = "subnet-" + Hex(n % 2000, 8), ["vpc_id"] = "vpc-" + Hex(n % 200, 8), ["architecture"] = "x86_64",
                ["block_device_mappings"] = new JsonArray(new JsonObject
                {
                    ["device_name"] = "/dev/xvda",
                    ["ebs"] = new JsonObject { ["attach_time"] = Time(n * 37), ["delete_on_termination"] = true, ["status"] = "attached", ["volume_id"] = "vol-" + Hex(n, 17) },
                }),
                ["ebs_optimized"] = true, ["hypervisor"] = "xen", ["root_device_type"] = "ebs",
                ["security_groups"] = new JsonArray(new JsonObject { ["group_name"] = "app-" + (n % 20), ["group_id"] = "sg-" + Hex(n % 300, 8) }),
                ["tags"] = tags, ["cpu_options"] = new JsonObject { ["core_count"] = 2, ["threads_per_core"] = 2 },
                ["metadata_options"] = new JsonObject { ["state"] = "applied", ["http_tokens"] = n % 4 == 0 ? "optional" : "required", ["http_put_response_hop_limit"] = 2 },
                ["platform_details"] = "Linux/UNIX",
            },
            "aws_ec2_volumes" => new()
            {
                ["attachments"] = v == 0 ? new JsonArray(new JsonObject
                {
                    ["attach_time"] = Time(n * 37), ["device"] = "/dev/xvda", ["instance_id"] = "i-" + Hex(n, 17), ["state"] = "attached", ["volume_id"] = "vol-" + Hex(n, 17),
                }) : new JsonArray(),
                ["availability_zone"] = region + "a", ["create_time"] = Time(n * 37), ["encrypted"] = n % 5 != 0,
                ["size"] = 8 * (1 + n % 16) * (v + 1), ["state"] = v == 0 ? "in-use" : "available", ["volume_id"] = "vol-" + Hex(n, 17),
                ["iops"] = 3000, ["tags"] = tags, ["volume_type"] = "gp3", ["throughput"] = 125,
            },
            "aws_lambda_functions" => new()
            {
                ["function_name"] = "fn-" + n, ["function_arn"] = $"arn:aws:lambda:{region}:{account}:function:fn-{n}",
                ["runtime"] = new[] { "python3.12", "nodejs20.x", "java21", "dotnet8" }[n % 4], ["role"] = $"arn:aws:iam::{account}:role/fn-{n % 50}",
                ["handler"] = "index.handler", ["code_size"] = 10_000 + n % 5000, ["timeout"] = 30, ["memory_size"] = 128 * (1 + n % 8) * (v + 1),
                ["last_modified"] = v == 0 ? "2024-06-01T00:00:00.000+0000" : "2025-06-01T00:00:00.000+0000", ["code_sha256"] = Convert.ToHexStringLower(Encoding.UTF8.GetBytes("code" + n + v)),
                ["version"] = "$LATEST", ["tracing_config"] = new JsonObject { ["mode"] = "PassThrough" }, ["state"] = "Active", ["package_type"] = "Zip",
                ["architectures"] = new JsonArray("x86_64"), ["tags"] = tags,
            },
            "aws_s3_buckets" => new()
            {
                ["name"] = $"bucket-{n}-{account}", ["creation_date"] = Time(n * 11), ["bucket_region"] = region,
                ["versioning"] = new JsonObject { ["status"] = v == 0 ? "Enabled" : "Suspended", ["mfa_delete"] = "Disabled" },
                ["public_access_block"] = new JsonObject
                {
                    ["block_public_acls"] = n % 9 != 0, ["ignore_public_acls"] = n % 9 != 0, ["block_public_policy"] = n % 9 != 0, ["restrict_public_buckets"] = n % 9 != 0,
                },
                ["policy_status"] = new JsonObject { ["is_public"] = n % 97 == 0 }, ["tags"] = tags,
                ["encryption"] = n % 13 == 0 ? null : new JsonObject
                {
                    ["rules"] = new JsonArray(new JsonObject { ["apply_server_side_encryption_by_default"] = new JsonObject { ["sse_algorithm"] = n % 4 == 0 ? "aws:kms" : "AES256" } }),
                },
            },
            _ => new()
            {
                ["path"] = "/", ["role_name"] = "role-" + n, ["role_id"] = "AROA" + Hex(n, 17).ToUpperInvariant(), ["arn"] = $"arn:aws:iam::{account}:role/role-{n}",
                ["create_date"] = Time(n * 13),
                ["assume_role_policy_document"] = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}""",
                ["max_session_duration"] = 3600 * (v + 1), ["tags"] = tags,
            },
        };
    }
}
