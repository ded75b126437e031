using System.Text.Json.Nodes;
using CloudInventory.Aws.Credentials;
using CloudInventory.Aws.Models;
using CloudInventory.Catalog;
using CloudInventory.Collection;
using CloudInventory.Simulator;
using CloudInventory.Storage;
using DuckDB.NET.Data;
using Xunit.Abstractions;

namespace CloudInventory.Tests.Collection;

/// <summary>
/// Tolerant reading end to end: every curated table collected from a simulated organisation twice, once clean and once
/// with 1% of its boolean, number and timestamp values written as malformed text (<c>None</c>, <c>N/A</c>, a date that
/// does not parse), then compared row by row.
/// </summary>
public sealed class InventoryCollectorTolerantReadingTests(ITestOutputHelper output)
{
    private static readonly DateOnly Day = new(2026, 11, 20);
    private static readonly DateTimeOffset ReportTime = new(2026, 11, 20, 6, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Malformed_values_become_nulls_and_counted_warnings_and_every_row_is_kept()
    {
        var clean = await CollectAsync(0);
        var faulty = await CollectAsync(0.01);
        try
        {
            // Warnings do not make the run partial (the CLI exits 0 on a complete run).
            Assert.Equal(RunStatus.Complete, clean.Result.Manifest.Status);
            Assert.Equal(RunStatus.Complete, faulty.Result.Manifest.Status);
            Assert.DoesNotContain(clean.Result.Errors, e => e.Severity == ErrorSeverity.Warning);
            Assert.Equal(Describe(clean.Result.Errors), Describe(faulty.Result.Errors.Where(e => e.Severity == ErrorSeverity.Error)));

            // One warning per (account, region, table, operation, member path), counting exactly the values the simulator damaged.
            var warnings = faulty.Result.Errors.Where(e => e.Severity == ErrorSeverity.Warning).ToList();
            Assert.All(warnings, w =>
            {
                Assert.Equal(CollectionError.MalformedValueCode, w.ErrorCode);
                Assert.NotNull(w.MemberPath);
                Assert.Contains(w.Value, new[] { "None", "N/A", "not-a-date" });
            });
            Assert.Equal(warnings.Count, warnings.Select(w => (w.AccountId, w.Region, w.Table, w.Operation, w.MemberPath)).Distinct().Count());
            // Keyed by operation name: services that share an API are answered by one model in the simulator (docdb and
            // neptune by rds, eventbridge by events). Where the simulator's model is not the client's, members the client's
            // model does not know are skipped unread, and the calls a run makes before collecting (the organisation's
            // accounts) are read without warnings: there, no more may be reported than was written; elsewhere exactly as many.
            var reported = warnings.GroupBy(w => (w.AccountId, Operation: OperationName(w.Operation), Path: w.MemberPath!))
                .ToDictionary(g => g.Key, g => g.Sum(w => w.Occurrences));
            var written = faulty.Written.GroupBy(kv => (kv.Key.AccountId, Operation: OperationName(kv.Key.Operation), Path: kv.Key.MemberPath))
                .ToDictionary(g => g.Key, g => g.Sum(kv => kv.Value));
            var reportedServices = warnings.ToLookup(w => OperationName(w.Operation), w => w.Operation);
            var writtenServices = faulty.Written.Keys.ToLookup(k => OperationName(k.Operation), k => k.Operation);
            var collectedOperations = reported.Keys.Select(k => k.Operation).ToHashSet(StringComparer.Ordinal);
            string[] preflight = ["ListAccounts", "ListRoots", "ListOrganizationalUnitsForParent", "DescribeOrganization", "DescribeRegions"];
            bool Exact(string operation) => !preflight.Contains(operation)
                && reportedServices[operation].ToHashSet(StringComparer.Ordinal).SetEquals(writtenServices[operation]);
            var differences = written.Keys.Union(reported.Keys)
                .Where(k => collectedOperations.Contains(k.Operation))
                .Where(k => Exact(k.Operation)
                    ? written.GetValueOrDefault(k) != reported.GetValueOrDefault(k)
                    : written.GetValueOrDefault(k) < reported.GetValueOrDefault(k))
                .Select(k => $"{k}: written {written.GetValueOrDefault(k)}, reported {reported.GetValueOrDefault(k)}")
                .ToList();
            var exactly = reported.Keys.Count(k => Exact(k.Operation));
            Assert.True(differences.Count == 0, "warnings differ from the simulator's faults:\n" + string.Join("\n", differences));

            // All five protocols had values damaged and read as null.
            var protocols = warnings.Select(w => AwsModelBundle.Default.GetService(w.Operation.Split(':')[0]).Protocol).ToHashSet();
            Assert.Equal(Enum.GetValues<AwsProtocol>().Order(), protocols.Order());

            // Every row of the clean run is there (same identity columns); values differ only by nulls, at most one per fault.
            var nullsByTable = CompareRows(clean, faulty, out var mismatches);
            Assert.True(mismatches.Count == 0, $"{mismatches.Count} mismatches:\n{string.Join("\n", mismatches.Take(40))}");
            var warningsByTable = warnings.GroupBy(w => w.Table!).ToDictionary(g => g.Key, g => g.Sum(w => w.Occurrences), StringComparer.Ordinal);
            foreach (var (table, nulls) in nullsByTable)
            {
                Assert.True(nulls <= warningsByTable.GetValueOrDefault(table), $"{table}: {nulls} values became null, but only {warningsByTable.GetValueOrDefault(table)} were reported malformed");
            }
            var totalNulls = nullsByTable.Values.Sum();
            output.WriteLine($"{exactly} of {reported.Count} (account, operation, member) warnings checked for exactly the simulator's count");
            output.WriteLine($"{faulty.Written.Values.Sum()} values damaged, {warnings.Sum(w => w.Occurrences)} reported in {warnings.Count} warnings " +
                $"over {warningsByTable.Count} tables; {totalNulls} stored values became null");
            Assert.True(totalNulls > 0);
            // The instances table stores every member of the instance: there, each fault is a null.
            Assert.Equal(warningsByTable.GetValueOrDefault("aws_ec2_instances"), nullsByTable.GetValueOrDefault("aws_ec2_instances"));
        }
        finally
        {
            Directory.Delete(clean.Store, recursive: true);
            Directory.Delete(faulty.Store, recursive: true);
        }
    }

    private sealed record Run(string Store, CollectionResult Result, IReadOnlyDictionary<(string AccountId, string Region, string Operation, string MemberPath), long> Written);

    private static async Task<Run> CollectAsync(double malformedRate)
    {
        await using var cloud = await SimulatedCloud.StartAsync(new SimulatorOptions
        {
            Seed = 11, Date = Day, Accounts = 2, Regions = ["us-east-1"], PageSize = 5, MalformedRate = malformedRate,
        });
        var store = Directory.CreateTempSubdirectory("cloudinv-tolerant-").FullName;
        var result = await new InventoryCollector().RunAsync(new CollectOptions
        {
            Credentials = AwsCredentialSource.Static(cloud.ManagementAccessKey, cloud.SecretFor(cloud.ManagementAccessKey)),
            EndpointUrl = cloud.Endpoint,
            Organization = true,
            RoleName = "inventory",
            Regions = ["us-east-1"],
            HomeRegion = "us-east-1",
            Store = store,
            RateMultiplier = 100,
            ReportTime = ReportTime,
        });
        return new Run(store, result, cloud.MalformedValuesWritten());
    }

    private static string OperationName(string operation) => operation[(operation.IndexOf(':', StringComparison.Ordinal) + 1)..];

    private static List<string> Describe(IEnumerable<CollectionError> errors) =>
        errors.Select(e => $"{e.AccountId} {e.Region} {e.Table} {e.Operation} {e.ErrorCode}").Order(StringComparer.Ordinal).ToList();

    // Pairs the rows of each table by identity (account, region, primary key) and counts the values that became null.
    private static Dictionary<string, long> CompareRows(Run clean, Run faulty, out List<string> mismatches)
    {
        mismatches = [];
        var nulls = new Dictionary<string, long>(StringComparer.Ordinal);
        using var connection = new DuckDBConnection("DataSource=:memory:");
        connection.Open();
        var cleanFiles = clean.Result.Manifest.Files.Where(f => f.Table != "cloudinv_errors").ToDictionary(f => f.Table, StringComparer.Ordinal);
        var faultyFiles = faulty.Result.Manifest.Files.Where(f => f.Table != "cloudinv_errors").ToDictionary(f => f.Table, StringComparer.Ordinal);
        Assert.Equal(cleanFiles.Keys.Order(StringComparer.Ordinal), faultyFiles.Keys.Order(StringComparer.Ordinal));
        foreach (var (name, file) in cleanFiles)
        {
            var table = TableCatalog.Default.Find(name)!;
            var before = Rows(connection, table, Path.Combine(clean.Store, file.Path));
            var after = Rows(connection, table, Path.Combine(faulty.Store, faultyFiles[name].Path));
            var missing = before.Keys.Except(after.Keys).ToList();
            var extra = after.Keys.Except(before.Keys).ToList();
            if (missing.Count > 0 || extra.Count > 0)
            {
                mismatches.Add($"{name}: {missing.Count} rows missing ({string.Join(", ", missing.Take(3))}), {extra.Count} rows more ({string.Join(", ", extra.Take(3))})");
                continue;
            }
            long count = 0;
            foreach (var (key, row) in before) Compare(row, after[key], $"{name} [{key}]", ref count, mismatches);
            nulls[name] = count;
        }
        return nulls;
    }

    private static Dictionary<string, JsonNode?> Rows(DuckDBConnection connection, Table table, string path)
    {
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT to_json(t)::VARCHAR FROM (SELECT * EXCLUDE (report_time) FROM read_parquet('{path.Replace("'", "''", StringComparison.Ordinal)}')) t";
        using var reader = command.ExecuteReader();
        var rows = new Dictionary<string, JsonNode?>(StringComparer.Ordinal);
        var positions = new Dictionary<string, int>(StringComparer.Ordinal);
        while (reader.Read())
        {
            var row = JsonNode.Parse(reader.GetString(0))!.AsObject();
            var scope = $"{row["account_id"]}/{row["region"]}";
            // Key-less tables pair rows by their position within the unit (a unit reads its pages in order); so do rows
            // that repeat a key (the generic world may).
            // Child rows are collected for several parents at once: their parent columns are part of their identity.
            var identityColumns = table.PrimaryKey.Concat(table.Columns.Where(c => c.Origin == ColumnOrigin.Parent).Select(c => c.Name)).ToList();
            var identity = identityColumns.Count > 0 ? scope + "/" + string.Join("/", identityColumns.Select(k => row[k]?.ToJsonString())) : scope;
            var key = identity + "#" + (positions[identity] = positions.GetValueOrDefault(identity) + 1);
            rows.Add(key, row);
        }
        return rows;
    }

    // A value may only go from present to null; JSON text columns are compared as the documents they hold.
    private static void Compare(JsonNode? before, JsonNode? after, string where, ref long nulls, List<string> mismatches)
    {
        if (before is null)
        {
            if (after is not null) mismatches.Add($"{where}: null became {after.ToJsonString()}");
            return;
        }
        if (after is null)
        {
            if (before is JsonValue) nulls++;
            else mismatches.Add($"{where}: {before.GetValueKind()} became null");
            return;
        }
        switch (before)
        {
            case JsonObject b when after is JsonObject a:
                foreach (var (k, v) in b) Compare(v, a[k], $"{where}.{k}", ref nulls, mismatches);
                foreach (var (k, _) in a.Where(kv => !b.ContainsKey(kv.Key))) mismatches.Add($"{where}.{k}: appeared");
                return;
            case JsonArray b when after is JsonArray a:
                if (a.Count != b.Count) mismatches.Add($"{where}: {b.Count} items became {a.Count}");
                else for (var i = 0; i < b.Count; i++) Compare(b[i], a[i], $"{where}[{i}]", ref nulls, mismatches);
                return;
            case JsonValue b when after is JsonValue a:
                if (JsonNode.DeepEquals(b, a)) return;
                if (b.TryGetValue<string>(out var bs) && a.TryGetValue<string>(out var @as) && Document(bs) is { } bd && Document(@as) is { } ad)
                {
                    Compare(bd, ad, where + "(json)", ref nulls, mismatches);
                    return;
                }
                mismatches.Add($"{where}: {b.ToJsonString()} became {a.ToJsonString()}");
                return;
            default:
                mismatches.Add($"{where}: {before.ToJsonString()} became {after.ToJsonString()}");
                return;
        }
    }

    private static JsonNode? Document(string text)
    {
        if (text.Length == 0 || text[0] is not ('{' or '[')) return null;
        try
        {
            return JsonNode.Parse(text);
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
    }
}
