using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using CloudInventory.Catalog;
using DuckDB.NET.Data;

namespace CloudInventory.Tests.Query;

/// <summary>
/// Writes a store in the contract's layout for tests: Parquet files through DuckDB COPY and run
/// manifests as JSON (the collector is built elsewhere; these tests make their own stores).
/// </summary>
internal sealed class TestStore : IDisposable
{
    private readonly DuckDBConnection _duck = new("DataSource=:memory:");

    public TestStore()
    {
        Root = Path.Combine(Path.GetTempPath(), "cloudinv-qry-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(Root);
        _duck.Open();
    }

    public string Root { get; }

    public static TableCatalog Catalog => TableCatalog.Default;

    /// <summary>Adds a run at the given time; the builder adds table files; the manifest is written last.</summary>
    public string AddRun(DateTime reportTime, Action<RunBuilder> build, string status = "complete", string? shard = null, string suffix = "a1b2c3")
    {
        var runId = reportTime.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture) + "-" + suffix;
        var stem = shard is null ? runId : runId + "-" + shard.Replace("/", "of", StringComparison.Ordinal);
        var builder = new RunBuilder(this, runId, stem, reportTime);
        build(builder);
        var date = reportTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var manifest = new Dictionary<string, object?>
        {
            ["run_id"] = runId, ["shard"] = shard, ["report_date"] = date,
            ["report_time"] = reportTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
            ["started_at"] = reportTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
            ["finished_at"] = reportTime.AddMinutes(3).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
            ["status"] = status, ["tool_version"] = "0.1.0",
            ["files"] = builder.Files, ["tables"] = builder.Tables,
            ["errors"] = builder.ErrorCount, ["api_calls"] = 100, ["throttles"] = 2, ["duration_ms"] = 180000,
        };
        var dir = Path.Combine(Root, "_runs", "report_date=" + date);
        Directory.CreateDirectory(dir);
        File.WriteAllText(Path.Combine(dir, stem + ".json"), JsonSerializer.Serialize(manifest));
        return runId;
    }

    /// <summary>The path of the manifest of a run (unsharded) of <paramref name="reportTime"/>.</summary>
    public string ManifestFile(string runId, DateTime reportTime) =>
        Path.Combine(Root, "_runs", "report_date=" + reportTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), runId + ".json");

    /// <summary>Writes a table file that no manifest lists (as a killed run would leave).</summary>
    public void AddOrphan(string table, DateTime reportTime, string select)
    {
        var t = Catalog.Find(table)!;
        var date = reportTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var rel = $"aws/{t.Service}/{t.Resource}/report_date={date}/orphan.parquet";
        Copy(select, reportTime, rel);
    }

    internal long Copy(string select, DateTime reportTime, string relativePath)
    {
        var full = Path.Combine(Root, relativePath);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        using var cmd = _duck.CreateCommand();
        var time = reportTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);
        cmd.CommandText = $"COPY (SELECT * REPLACE (TIMESTAMPTZ '{time}+00' AS report_time) FROM ({select})) TO '{full}' (FORMAT parquet, COMPRESSION zstd)";
        cmd.ExecuteNonQuery();
        cmd.CommandText = $"SELECT count(*) FROM '{full}'";
        return Convert.ToInt64(cmd.ExecuteScalar(), CultureInfo.InvariantCulture);
    }

    /// <summary>The units (account, region) of a data file with their row counts.</summary>
    internal IReadOnlyList<(string Account, string Region, long Rows)> Units(string relativePath)
    {
        using var cmd = _duck.CreateCommand();
        cmd.CommandText = $"SELECT account_id, region, count(*) FROM '{Path.Combine(Root, relativePath)}' GROUP BY ALL ORDER BY ALL";
        using var reader = cmd.ExecuteReader();
        var units = new List<(string, string, long)>();
        while (reader.Read()) units.Add((reader.GetString(0), reader.GetString(1), reader.GetInt64(2)));
        return units;
    }

    /// <summary>SHA-256 of every file under the store, by relative path.</summary>
    public IReadOnlyDictionary<string, string> Hashes() =>
        Directory.EnumerateFiles(Root, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal)
            .ToDictionary(f => Path.GetRelativePath(Root, f), f => Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(f))));

    public void Dispose()
    {
        _duck.Dispose();
        try { Directory.Delete(Root, recursive: true); } catch (IOException) { }
    }

    internal sealed class RunBuilder(TestStore store, string runId, string stem, DateTime reportTime)
    {
        public List<Dictionary<string, object?>> Files { get; } = [];
        public List<Dictionary<string, object?>> Tables { get; } = [];
        public int ErrorCount { get; private set; }
        public string RunId => runId;

        /// <summary>Adds a table file from a SELECT (report_time is set to the run's time).</summary>
        public RunBuilder Table(string table, string select)
        {
            var t = Catalog.Find(table) ?? throw new ArgumentException(table);
            var date = reportTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
            var rel = $"aws/{t.Service}/{t.Resource}/report_date={date}/{stem}.parquet";
            var rows = store.Copy(select, reportTime, rel);
            Files.Add(new() { ["table"] = table, ["path"] = rel, ["rows"] = rows, ["bytes"] = new FileInfo(Path.Combine(store.Root, rel)).Length,
                ["sha256"] = Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(Path.Combine(store.Root, rel)))) });
            // One entry per unit (account, region) in the file, as the collector writes them.
            foreach (var (account, region, count) in store.Units(rel))
            {
                Tables.Add(new() { ["table"] = table, ["account_id"] = account, ["region"] = region, ["rows"] = count, ["status"] = "ok", ["error_code"] = null });
            }
            return this;
        }

        /// <summary>Records that the run saw the table empty (no file).</summary>
        public RunBuilder Empty(string table)
        {
            Tables.Add(new() { ["table"] = table, ["account_id"] = "111111111111", ["region"] = "eu-west-1", ["rows"] = 0, ["status"] = "empty", ["error_code"] = null });
            return this;
        }

        /// <summary>Records an error for a table and writes the run's errors file.</summary>
        public RunBuilder Error(string table, string code)
        {
            ErrorCount++;
            Tables.Add(new() { ["table"] = table, ["account_id"] = "111111111111", ["region"] = "eu-west-1", ["rows"] = 0, ["status"] = "error", ["error_code"] = code });
            var date = reportTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
            store.Copy($"SELECT '{runId}' AS run_id, NULL::TIMESTAMPTZ AS report_time, '111111111111' AS account_id, 'eu-west-1' AS region, '{table}' AS table_name, " +
                $"'Describe' AS operation, '{code}' AS error_code, 'not allowed' AS message, 3 AS attempts, NULL::VARCHAR AS enrichment",
                reportTime, $"cloudinv/errors/report_date={date}/{stem}.parquet");
            return this;
        }
    }
}
