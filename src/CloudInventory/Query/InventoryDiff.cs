using CloudInventory.Catalog;
using CloudInventory.Query.Internal;

namespace CloudInventory.Query;

/// <summary>
/// What changed between two snapshots, computed in DuckDB: per table, rows added, removed and
/// changed by key (account_id, region, primary key); for changed rows, the changed columns with old
/// and new values. Nested values compare deeply (maps regardless of entry order); columns that
/// change with every collection (<c>report_time</c>) are ignored. A unit (account, region) that either run did not
/// observe is not compared (and listed as such): a failed unit never reads as removed resources.
/// </summary>
public static class InventoryDiff
{
    /// <summary>Compares the two snapshots the options name.</summary>
    /// <exception cref="InventoryQueryException">A reference matches no run, or a query fails.</exception>
    public static DiffReport Compute(InventoryDatabase database, DiffOptions options)
    {
        ArgumentNullException.ThrowIfNull(database);
        ArgumentNullException.ThrowIfNull(options);
        var from = options.From.Resolve(database.Runs);
        var to = options.To.Resolve(database.Runs);
        var glob = new TableGlob(options.TableGlob);
        if (from.RunId == to.RunId) return new DiffReport(from, to, [], new Dictionary<string, string>(), []);
        var diffs = new List<TableDiff>();
        var notCompared = new List<UnitNotCompared>();
        var skipped = new SortedDictionary<string, string>(StringComparer.Ordinal);
        var names = from.Tables.Keys.Concat(to.Tables.Keys).Distinct(StringComparer.Ordinal).Where(glob.IsMatch).Order(StringComparer.Ordinal);
        foreach (var name in names)
        {
            if (database.Catalog.Find(name) is not { } table) continue;
            if (database.TagFilters.Count > 0 && !InventoryDatabase.HasTags(table)) continue;
            var left = NotCompared(from, to, name)
                .Where(u => (options.AccountId is null || u.AccountId == options.AccountId) && (options.Region is null || u.Region == options.Region)).ToArray();
            notCompared.AddRange(left);
            if (!from.Saw(name) || !to.Saw(name))
            {
                skipped[name] = $"not collected in run {(from.Saw(name) ? to.RunId : from.RunId)}";
                continue;
            }
            var fromFiles = from.Tables[name];
            var toFiles = to.Tables[name];
            if (fromFiles.Count == 0 && toFiles.Count == 0) continue;
            var diff = CompareTable(database, table, fromFiles, toFiles, options, left);
            if (!diff.IsEmpty || diff.ColumnsAdded.Count > 0 || diff.ColumnsRemoved.Count > 0) diffs.Add(diff);
        }
        return new DiffReport(from, to, diffs, skipped, notCompared);
    }

    /// <summary>
    /// The units (account, region) of a table that either run did not observe, each once with the reason: they are left out of a
    /// comparison of the two runs (a failed unit is not removals). The one rule for diff, churn and every other pairwise comparison.
    /// </summary>
    internal static IReadOnlyList<UnitNotCompared> NotCompared(InventoryRun from, InventoryRun to, string table)
    {
        var known = from.Observed(table).Concat(to.Observed(table)).ToArray();
        return NotCompared(from, table, known).Concat(NotCompared(to, table, known)).DistinctBy(u => (u.AccountId, u.Region)).ToArray();
    }

    // The units of a table a run did not observe, with the reason.
    private static IEnumerable<UnitNotCompared> NotCompared(InventoryRun run, string table, IEnumerable<(string AccountId, string Region)> known) =>
        run.NotObserved(table, known).Select(u => run.Units.FirstOrDefault(e => e.Table == table && e.AccountId == u.AccountId && e.Region == u.Region) is { } entry
            ? new UnitNotCompared(table, u.AccountId, u.Region, entry.Status is "ok" or "empty" ? $"its shard of run {run.RunId} failed" : $"{entry.Status} in run {run.RunId}")
            : new UnitNotCompared(table, u.AccountId, u.Region, $"not in run {run.RunId}, which was not complete"));

    /// <summary>
    /// Passes over the two snapshots' files read together (so both files scan in parallel): first one
    /// hash of the compared columns per key and side, grouped by key, which finds the added, removed
    /// and candidate changed keys; then, for the candidates only, one hash per compared column, which
    /// finds the columns whose hashes differ; last, for the candidates only and only those columns,
    /// the values rendered as text (nested values as JSON, maps with sorted entries), compared in
    /// memory (so a map whose entries merely moved is no change). Holding one hash per key (not one
    /// per column) in the first pass keeps a 100k-row snapshot's grouping small.
    /// </summary>
    private static TableDiff CompareTable(InventoryDatabase db, Table table, IReadOnlyList<string> fromFiles, IReadOnlyList<string> toFiles, DiffOptions options,
        IReadOnlyList<UnitNotCompared> notCompared)
    {
        var fromCols = fromFiles.Count > 0 ? Describe(db, db.Scan(table, fromFiles)) : null;
        var toCols = toFiles.Count > 0 ? Describe(db, db.Scan(table, toFiles)) : null;
        fromCols ??= toCols!;
        toCols ??= fromCols;
        var allKeys = InventoryDatabase.KeyColumns(table);
        var keys = allKeys.Where(k => fromCols.ContainsKey(k) && toCols.ContainsKey(k)).ToList();
        var compared = toCols.Keys.Where(c => fromCols.ContainsKey(c) && !options.IgnoredColumns.Contains(c) && !keys.Contains(c))
            .Where(c => fromCols[c] == toCols[c] || !IsNested(fromCols[c]) && !IsNested(toCols[c])).ToArray();
        var keyExprs = keys.Select(k => (Name: k, Expr: Sql.Identifier(k))).ToList();
        string rowHash;
        if (table.PrimaryKey.Count > 0 && keys.Count == allKeys.Count)
        {
            // One hash of the compared columns per key and side: a small fixed-size state per key, so the grouping of a
            // 100k-row snapshot stays within DuckDB's memory limit (per-column hash lists for every key did not).
            rowHash = RowHash(compared);
        }
        else
        {
            // Without a key a row is its values: rows can be added or removed but never changed.
            keyExprs.Add(("row_hash", RowHash(compared)));
            keys.Add("row_hash");
            rowHash = "0::UBIGINT";
            compared = [];
        }

        var toSet = Sql.List(toFiles.Select(db.FullPath));
        var both = db.ScanUnifyingIfNeeded(table, fromFiles.Concat(toFiles), withFilename: true);
        var filters = new List<string>();
        if (options.AccountId is not null) filters.Add("account_id = " + Sql.Literal(options.AccountId));
        if (options.Region is not null) filters.Add("region = " + Sql.Literal(options.Region));
        if (notCompared.Count > 0)
        {
            filters.Add("NOT (" + string.Join(" OR ", notCompared.Select(u => $"(account_id = {Sql.Literal(u.AccountId)} AND region = {Sql.Literal(u.Region)})")) + ")");
        }
        var where = filters.Count == 0 ? "" : " WHERE " + string.Join(" AND ", filters);
        var keyList = string.Join(", ", keyExprs.Select(k => $"{k.Expr} AS {Sql.Identifier(k.Name)}"));
        var keyNames = string.Join(", ", keys.Select(Sql.Identifier));
        db.Execute($"""
            CREATE OR REPLACE TEMP TABLE __diff_keys AS
            SELECT {keyNames}, first(__h) FILTER (WHERE NOT __to) AS __fh, first(__h) FILTER (WHERE __to) AS __th
            FROM (SELECT {keyList}, filename IN {toSet} AS __to, {rowHash} AS __h FROM ({both}) __s{where})
            GROUP BY {keyNames}
            HAVING __fh IS DISTINCT FROM __th
            """);
        const string Candidates = "__fh IS NOT NULL AND __th IS NOT NULL";

        var keySelect = string.Join(", ", keys.Select(k => $"{Sql.Identifier(k)}::VARCHAR"));
        var added = new List<IReadOnlyDictionary<string, string?>>();
        var removed = new List<IReadOnlyDictionary<string, string?>>();
        long candidates = 0;
        using (var cmd = db.Connection.CreateCommand())
        {
            cmd.CommandText = $"SELECT __fh IS NULL, __th IS NULL, {keySelect} FROM __diff_keys ORDER BY {keyNames}";
            using var r = cmd.ExecuteReader();
            while (r.Read())
            {
                if (r.GetBoolean(0)) added.Add(ReadKey(r, keys, 2));
                else if (r.GetBoolean(1)) removed.Add(ReadKey(r, keys, 2));
                else candidates++;
            }
        }

        var changes = new List<RowChange>();
        if (candidates > 0 && compared.Length > 0)
        {
            if (compared.Length > 1)
            {
                // The columns whose hashes differ, from one hash per compared column for the candidate keys only (a few
                // percent of a week's keys), so the last pass reads and renders only the columns that changed.
                var differing = new List<string>();
                var columnHashes = "[" + string.Join(", ", compared.Select(c => $"hash({Sql.Identifier(c)})")) + "]";
                using (var columnsCmd = db.Connection.CreateCommand())
                {
                    columnsCmd.CommandText = $"""
                        SELECT DISTINCT unnest(list_filter(range(1, {compared.Length + 1}), i -> __fh[i] IS DISTINCT FROM __th[i])) FROM (
                            SELECT first(__h) FILTER (WHERE NOT __to) AS __fh, first(__h) FILTER (WHERE __to) AS __th
                            FROM (SELECT {keyList}, filename IN {toSet} AS __to, {columnHashes} AS __h FROM ({both}) __s{where}) __k
                            SEMI JOIN (SELECT {keyNames} FROM __diff_keys WHERE {Candidates}) __c USING ({keyNames})
                            GROUP BY {string.Join(", ", keys.Select(k => "__k." + Sql.Identifier(k)))})
                        ORDER BY 1
                        """;
                    using var columns = columnsCmd.ExecuteReader();
                    while (columns.Read()) differing.Add(compared[(int)columns.GetInt64(0) - 1]);
                }
                compared = [.. differing];
            }
            var bothCols = Describe(db, both);
            var rendered = string.Join(", ", compared.Select(c => Render(c, bothCols[c])));
            var pairs = new Dictionary<string, (Dictionary<string, string?> Key, string?[]? Old, string?[]? New)>(StringComparer.Ordinal);
            using var cmd = db.Connection.CreateCommand();
            cmd.CommandText = $"""
                SELECT {string.Join(", ", keys.Select(k => $"__s.{Sql.Identifier(k)}::VARCHAR"))}, filename IN {toSet} AS __to, {rendered}
                FROM (SELECT * FROM ({both}) __b{where}) __s
                SEMI JOIN (SELECT {keyNames} FROM __diff_keys WHERE {Candidates}) __c USING ({keyNames})
                """;
            using var r = cmd.ExecuteReader();
            while (r.Read())
            {
                var key = ReadKey(r, keys, 0);
                var id = string.Join("\u0001", key.Values);
                var values = new string?[compared.Length];
                for (var i = 0; i < values.Length; i++) values[i] = r.IsDBNull(keys.Count + 1 + i) ? null : r.GetString(keys.Count + 1 + i);
                var entry = pairs.GetValueOrDefault(id, (key, null, null));
                pairs[id] = r.GetBoolean(keys.Count) ? (key, entry.Old, values) : (key, values, entry.New);
            }
            foreach (var (_, (key, old, @new)) in pairs.OrderBy(p => p.Key, StringComparer.Ordinal))
            {
                if (old is null || @new is null) continue;
                var columns = compared.Select((c, i) => (c, i)).Where(x => old[x.i] != @new[x.i]).Select(x => new ColumnChange(x.c, old[x.i], @new[x.i])).ToArray();
                if (columns.Length > 0) changes.Add(new RowChange(key, columns));
            }
        }

        return new TableDiff
        {
            Table = table.Name,
            KeyColumns = keys,
            AddedCount = added.Count,
            RemovedCount = removed.Count,
            ChangedCount = changes.Count,
            ColumnsAdded = toCols.Keys.Where(c => !fromCols.ContainsKey(c)).ToArray(),
            ColumnsRemoved = fromCols.Keys.Where(c => !toCols.ContainsKey(c)).ToArray(),
            Added = options.SummaryOnly ? [] : added,
            Removed = options.SummaryOnly ? [] : removed,
            Changed = options.SummaryOnly ? [] : changes,
        };
    }

    /// <summary>One hash of a row's compared columns (a constant when there are none).</summary>
    private static string RowHash(IReadOnlyCollection<string> columns) =>
        columns.Count == 0 ? "0::UBIGINT" : $"hash(row({string.Join(", ", columns.Select(Sql.Identifier))}))";

    private static Dictionary<string, string?> ReadKey(System.Data.Common.DbDataReader r, IReadOnlyList<string> keys, int offset)
    {
        var key = new Dictionary<string, string?>(StringComparer.Ordinal);
        for (var i = 0; i < keys.Count; i++) key[keys[i]] = r.IsDBNull(offset + i) ? null : r.GetString(offset + i);
        return key;
    }

    private static Dictionary<string, string> Describe(InventoryDatabase db, string select)
    {
        var columns = new Dictionary<string, string>(StringComparer.Ordinal);
        using var cmd = db.Connection.CreateCommand();
        cmd.CommandText = $"SELECT column_name, column_type FROM (DESCRIBE ({select}))";
        using var r = cmd.ExecuteReader();
        while (r.Read()) columns[r.GetString(0)] = r.GetString(1);
        return columns;
    }

    private static bool IsNested(string type) =>
        type.EndsWith(']') || type.StartsWith("STRUCT", StringComparison.Ordinal) || type.StartsWith("MAP", StringComparison.Ordinal);

    /// <summary>A column as text for comparing and showing: maps with sorted entries and other nested values as JSON.</summary>
    private static string Render(string column, string type)
    {
        var c = "__s." + Sql.Identifier(column);
        if (type.StartsWith("MAP(", StringComparison.Ordinal)) return $"to_json(map_from_entries(list_sort(map_entries({c}))))::VARCHAR";
        return IsNested(type) ? $"to_json({c})::VARCHAR" : type == "VARCHAR" ? c : $"CAST({c} AS VARCHAR)";
    }
}
