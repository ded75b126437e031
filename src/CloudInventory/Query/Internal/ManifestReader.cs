using System.Globalization;
using System.Text.Json;
using CloudInventory.Catalog.Generation;

namespace CloudInventory.Query.Internal;

/// <summary>Reads the run manifests of a local store (<c>_runs/report_date=*/*.json</c>) and merges shards into runs.</summary>
internal static class ManifestReader
{
    public static IReadOnlyList<ManifestRecord> ReadAll(string storeRoot)
    {
        var runsDir = Path.Combine(storeRoot, "_runs");
        if (!Directory.Exists(runsDir)) return [];
        var records = new List<ManifestRecord>();
        foreach (var partition in Directory.EnumerateDirectories(runsDir, "report_date=*"))
        {
            foreach (var file in Directory.EnumerateFiles(partition, "*.json"))
            {
                records.Add(Read(file));
            }
        }
        records.Sort((a, b) => string.CompareOrdinal(a.Stem, b.Stem));
        return records;
    }

    public static ManifestRecord Read(string file)
    {
        try
        {
            using var doc = JsonDocument.Parse(File.ReadAllBytes(file));
            var root = doc.RootElement;
            var files = new List<ManifestFile>();
            if (root.TryGetProperty("files", out var fs) && fs.ValueKind == JsonValueKind.Array)
            {
                foreach (var f in fs.EnumerateArray())
                {
                    files.Add(new ManifestFile(Str(f, "table") ?? throw Bad("a files entry has no table"),
                        Str(f, "path") ?? throw Bad("a files entry has no path"), Long(f, "rows")));
                }
            }
            var tables = new List<ManifestTable>();
            if (root.TryGetProperty("tables", out var ts) && ts.ValueKind == JsonValueKind.Array)
            {
                foreach (var t in ts.EnumerateArray())
                {
                    tables.Add(new ManifestTable(Str(t, "table") ?? throw Bad("a tables entry has no table"),
                        Str(t, "account_id"), Str(t, "region"), Long(t, "rows"), Str(t, "status") ?? "ok"));
                }
            }
            var runId = Str(root, "run_id") ?? throw Bad("no run_id");
            var reportDate = DateOnly.ParseExact(Str(root, "report_date") ?? throw Bad("no report_date"), "yyyy-MM-dd", CultureInfo.InvariantCulture);
            var reportTime = Time(root, "report_time") ?? Time(root, "started_at") ?? new DateTimeOffset(reportDate.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
            return new ManifestRecord(file, runId, Str(root, "shard"), reportDate, reportTime, Time(root, "started_at"), Time(root, "finished_at"),
                Str(root, "status") ?? "complete", Str(root, "tool_version"), files, tables,
                Long(root, "errors"), Long(root, "api_calls"), Long(root, "throttles"), Long(root, "duration_ms"));
        }
        catch (Exception e) when (e is JsonException or FormatException or InvalidOperationException)
        {
            throw new InventoryQueryException($"run manifest {file} is not valid: {e.Message}", e);
        }

        static InvalidOperationException Bad(string what) => new(what);
    }

    /// <summary>Merges shard manifests into runs, oldest first.</summary>
    public static IReadOnlyList<InventoryRun> MergeRuns(IEnumerable<ManifestRecord> manifests)
    {
        var runs = new List<InventoryRun>();
        foreach (var group in manifests.GroupBy(m => m.RunId, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var tables = new Dictionary<string, List<string>>(StringComparer.Ordinal);
            var units = group.SelectMany(m => m.Tables.Select(t => new InventoryUnit(t.Table, t.AccountId ?? "", t.Region ?? "", t.Rows, t.Status,
                StandardViews.VisibleRunStatuses.Contains(m.Status) && StandardViews.ObservedStatuses.Contains(t.Status)))).ToArray();
            foreach (var m in group.Where(m => m.Status is "complete" or "partial"))
            {
                foreach (var f in m.Files) Files(f.Table).Add(f.Path);
                foreach (var t in m.Tables.Where(t => t.Status is "ok" or "empty")) Files(t.Table);
            }
            var statuses = group.Select(m => m.Status).ToArray();
            var status = statuses.All(s => s == "failed") ? "failed" : statuses.All(s => s == "complete") ? "complete" : "partial";
            var first = group.First();
            runs.Add(new InventoryRun(group.Key, first.ReportDate, group.Min(m => m.ReportTime), status,
                tables.ToDictionary(kv => kv.Key, kv => (IReadOnlyList<string>)kv.Value, StringComparer.Ordinal), units));

            List<string> Files(string table)
            {
                if (!tables.TryGetValue(table, out var list)) tables[table] = list = [];
                return list;
            }
        }
        // Oldest first by what the run saw (report time), not by when it ran: backfills and replays
        // (the demo) take snapshots "as of" earlier days.
        return runs.OrderBy(r => r.ReportTime).ThenBy(r => r.RunId, StringComparer.Ordinal).ToList();
    }

    private static string? Str(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    private static long Long(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetInt64() : 0;

    private static DateTimeOffset? Time(JsonElement e, string name) =>
        Str(e, name) is { } s ? DateTimeOffset.Parse(s, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal) : null;
}
