using System.Text;

namespace CloudInventory.Catalog.Generation;

/// <summary>
/// The one definition of the standard views, used by the query path (DuckDB) and by <c>cloudinv generate</c>
/// (Athena/Trino and DuckDB files). Per table:
/// <list type="bullet">
/// <item><c>&lt;table&gt;</c>: every snapshot: the rows of the files that run manifests (complete or partial) list;
/// files without a manifest (a killed run) are invisible.</item>
/// <item><c>daily_&lt;table&gt;</c>: per day, the last run of the table that day, all of its shards; a unit (account, region)
/// that run did not observe (failed, skipped, or missing from a run that was not complete) keeps its last observation
/// up to that run, with its own <c>report_time</c>. <c>report_date</c> is the day.</item>
/// <item><c>current_&lt;table&gt;</c>: <c>daily_</c> on the table's latest day.</item>
/// <item><c>distinct_&lt;table&gt;</c> / <c>daily_distinct_&lt;table&gt;</c>: the latest row per account, region and key
/// over all history (per day); a curated table without a key has one row per account and region; a discovered one is
/// told apart by all its values.</item>
/// </list>
/// The views read a table's files relation (<c>files_&lt;table&gt;</c>: the Glue table over the table's folder in Athena,
/// <c>read_parquet</c> in DuckDB) and three relations over the run manifests: <c>cloudinv_run_tables</c> (what each run
/// saw of each unit), <c>cloudinv_run_files</c> (the files each run published) and <c>cloudinv_daily_units</c> (for each
/// table and day, which run each unit's rows come from).
/// </summary>
public static class StandardViews
{
    /// <summary>The run manifests as a table (a Glue table over <c>_runs/</c> in Athena).</summary>
    public const string RunsTable = "cloudinv_runs";

    /// <summary>One row per manifest <c>tables</c> entry: what a run (shard) saw of a table in an account and region.</summary>
    public const string RunTablesView = "cloudinv_run_tables";

    /// <summary>One row per manifest <c>files</c> entry: a file a run (shard) published.</summary>
    public const string RunFilesView = "cloudinv_run_files";

    /// <summary>For each table, day and unit (account, region): the day's run and the run whose rows stand for the unit.</summary>
    public const string DailyUnitsView = "cloudinv_daily_units";

    /// <summary>The prefix of a table's files relation (the Glue table over its folder), e.g. <c>files_aws_ec2_instances</c>.</summary>
    public const string FilesPrefix = "files_";

    /// <summary>The folder of the run manifests under the store root.</summary>
    public const string RunsPath = "_runs";

    /// <summary>The view name prefixes, in the order the views are written (the all-snapshots view has none).</summary>
    public static IReadOnlyList<string> Prefixes { get; } = ["current_", "daily_", "distinct_", "daily_distinct_"];

    /// <summary>The manifest statuses of a run (shard) whose files queries read.</summary>
    public static IReadOnlyList<string> VisibleRunStatuses { get; } = ["complete", "partial"];

    /// <summary>The manifest statuses of a unit that count as an observation (rows collected, or read and empty); failed and skipped units are not observed.</summary>
    public static IReadOnlyList<string> ObservedStatuses { get; } = ["ok", "empty"];

    internal const string RunsDescription = "Cloud Inventory run manifests (one per run or shard): status, files published, what was seen per table, account and region.";
    internal const string RunsSerDe = "com.amazon.ionhiveserde.IonHiveSerDe";
    internal const string RunsInputFormat = "com.amazon.ionhiveserde.formats.IonInputFormat";
    internal const string RunsOutputFormat = "com.amazon.ionhiveserde.formats.IonOutputFormat";

    private static readonly string[] s_tablesFields = ["table", "account_id", "region", "rows", "status", "error_code"];
    private static readonly string[] s_filesFields = ["table", "path", "rows", "bytes", "sha256"];

    /// <summary>
    /// The columns of <c>cloudinv_runs</c> as Athena reads the manifest JSON (the Amazon Ion SerDe, which reads indented
    /// JSON); <c>report_date</c> is the partition. Times are ISO-8601 UTC text with milliseconds, so they sort as times.
    /// </summary>
    public static IReadOnlyList<Column> RunsColumns { get; } =
    [
        System("run_id", ColumnType.String, "The run id, YYYYMMDDTHHMMSSZ-xxxxxx."),
        System("shard", ColumnType.String, "The shard k/n, or null for an unsharded run."),
        System("report_time", ColumnType.String, "The report_time of the run's rows (ISO-8601 UTC)."),
        System("started_at", ColumnType.String, "When the run started (ISO-8601 UTC)."),
        System("finished_at", ColumnType.String, "When the run finished (ISO-8601 UTC)."),
        System("status", ColumnType.String, "complete, partial or failed."),
        System("tool_version", ColumnType.String, "The cloudinv version that ran."),
        System("files", ColumnType.List(ColumnType.Struct(Fields(("table", ColumnType.String), ("path", ColumnType.String), ("rows", ColumnType.Int64),
            ("bytes", ColumnType.Int64), ("sha256", ColumnType.String)))), "The files published (store-relative paths)."),
        System("tables", ColumnType.List(ColumnType.Struct(Fields(("table", ColumnType.String), ("account_id", ColumnType.String), ("region", ColumnType.String),
            ("rows", ColumnType.Int64), ("status", ColumnType.String), ("error_code", ColumnType.String)))), "What was seen per table, account and region: ok, empty, error or skipped."),
        System("errors", ColumnType.Int32, "Errors recorded."),
        System("api_calls", ColumnType.Int64, "API calls made."),
        System("throttles", ColumnType.Int64, "Calls throttled."),
        System("duration_ms", ColumnType.Int64, "Wall time in milliseconds."),
    ];

    /// <summary>The name of a table's files relation, e.g. <c>files_aws_ec2_instances</c>.</summary>
    public static string FilesRelation(Table table)
    {
        ArgumentNullException.ThrowIfNull(table);
        return FilesPrefix + table.Name;
    }

    /// <summary>The SELECT of <c>cloudinv_run_tables</c> over <c>cloudinv_runs</c>.</summary>
    public static string RunTables(SqlDialect dialect)
    {
        ArgumentNullException.ThrowIfNull(dialect);
        return dialect.Unnest("tables", s_tablesFields,
            "r.\"run_id\", r.\"shard\", r.\"report_date\", r.\"report_time\", r.\"status\" AS \"run_status\", e.\"table\" AS \"table_name\", e.\"account_id\", e.\"region\", e.\"rows\", e.\"status\"");
    }

    /// <summary>The SELECT of <c>cloudinv_run_files</c> over <c>cloudinv_runs</c>.</summary>
    public static string RunFiles(SqlDialect dialect)
    {
        ArgumentNullException.ThrowIfNull(dialect);
        return dialect.Unnest("files", s_filesFields,
            "r.\"run_id\", r.\"shard\", r.\"report_date\", r.\"report_time\", r.\"status\" AS \"run_status\", e.\"table\" AS \"table_name\", e.\"path\", " +
            "regexp_extract(e.\"path\", '[^/]+$') AS \"file_name\", e.\"rows\"");
    }

    /// <summary>
    /// The SELECT of <c>cloudinv_daily_units</c> (the same in both dialects): for each table and day with a run of the
    /// table, the day's last run (<c>run_id</c>, <c>latest</c> on the table's latest day) and, per unit, the run whose rows
    /// stand for it (<c>source_run_id</c>: the latest run up to the day's run that observed the unit; null when none did)
    /// and whether the day's run observed it. A unit is listed when the day's run has an entry for it, or when the day's
    /// run was not complete (a unit it does not mention may have failed before it was planned) and the unit was observed before.
    /// </summary>
    public static string DailyUnits() => $"""
        WITH units AS (
          SELECT "table_name", "run_id", "account_id", "region", "status", "run_status" IN ({Literals(VisibleRunStatuses)}) AS "visible",
            min("report_date") OVER (PARTITION BY "run_id") AS "run_date",
            min("report_time") OVER (PARTITION BY "run_id") AS "run_time",
            min(CASE WHEN "run_status" = 'complete' THEN 1 ELSE 0 END) OVER (PARTITION BY "run_id") AS "run_complete"
          FROM "{RunTablesView}"
        ),
        runs AS (
          SELECT "run_id", "run_date", "run_complete", dense_rank() OVER (ORDER BY "run_time", "run_id") AS "run_rank"
          FROM units GROUP BY "run_id", "run_date", "run_time", "run_complete"
        ),
        entries AS (
          SELECT u."table_name", u."account_id", u."region", u."status", u."visible", r."run_id", r."run_date", r."run_complete", r."run_rank"
          FROM units u JOIN runs r ON r."run_id" = u."run_id"
        ),
        days AS (
          SELECT "table_name", "run_date" AS "report_date", "run_id", "run_complete", "run_rank",
            "run_date" = max("run_date") OVER (PARTITION BY "table_name") AS "latest"
          FROM (
            SELECT "table_name", "run_date", "run_id", "run_complete", "run_rank",
              row_number() OVER (PARTITION BY "table_name", "run_date" ORDER BY "run_rank" DESC) AS "nth"
            FROM entries WHERE "visible" GROUP BY "table_name", "run_date", "run_id", "run_complete", "run_rank"
          ) d
          WHERE "nth" = 1
        ),
        cells AS (
          SELECT d."table_name", d."report_date", d."run_id", d."run_complete", d."latest", k."account_id", k."region", d."run_rank", 0 AS "observation"
          FROM days d JOIN (SELECT DISTINCT "table_name", "account_id", "region" FROM entries WHERE "visible") k ON k."table_name" = d."table_name"
          UNION ALL
          SELECT "table_name", "run_date", "run_id", "run_complete", false, "account_id", "region", "run_rank", 1
          FROM entries WHERE "visible" AND "status" IN ({Literals(ObservedStatuses)})
        ),
        timeline AS (
          SELECT c.*, max(CASE WHEN c."observation" = 1 THEN c."run_rank" END) OVER (PARTITION BY c."table_name", c."account_id", c."region"
            ORDER BY c."run_rank", c."observation" DESC ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS "source_rank"
          FROM cells c
        ),
        planned AS (SELECT DISTINCT "table_name", "run_id", "account_id", "region" FROM entries)
        SELECT t."table_name", t."report_date", t."run_id", t."latest", t."account_id", t."region",
          s."run_id" AS "source_run_id", s."run_date" AS "source_report_date", coalesce(t."source_rank" = t."run_rank", false) AS "observed"
        FROM timeline t
        LEFT JOIN runs s ON s."run_rank" = t."source_rank"
        LEFT JOIN planned p ON p."table_name" = t."table_name" AND p."run_id" = t."run_id" AND p."account_id" = t."account_id" AND p."region" = t."region"
        WHERE t."observation" = 0 AND (p."run_id" IS NOT NULL OR t."run_complete" = 0 AND t."source_rank" IS NOT NULL)
        """;

    /// <summary>The SELECT of the all-snapshots view of a table over <paramref name="files"/> (a relation with the file column).</summary>
    public static string Snapshots(Table table, SqlDialect dialect, string files)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(dialect);
        return $"SELECT {dialect.SelectList(table, "f", withReportDate: true, Unquote(dialect.FileColumn))}\n{ListedFiles(table, dialect, files)}";
    }

    /// <summary>The SELECT of <c>daily_</c> (or, with <paramref name="current"/>, <c>current_</c>) over <paramref name="files"/>.</summary>
    public static string Daily(Table table, SqlDialect dialect, string files, bool current)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(dialect);
        return $"SELECT {dialect.SelectList(table, "f", withReportDate: false, Unquote(dialect.FileColumn))}, u.\"report_date\" AS \"report_date\"\n" +
            $"{ListedFiles(table, dialect, files)}\n" +
            $"JOIN \"{DailyUnitsView}\" u ON u.\"table_name\" = {Literal(table.Name)} AND u.\"source_run_id\" = r.\"run_id\" AND u.\"account_id\" = f.\"account_id\" AND u.\"region\" = f.\"region\"" +
            (current ? " AND u.\"latest\"" : "");
    }

    /// <summary>
    /// The store-relative paths of the files <c>daily_</c> (or <c>current_</c>) reads: the files of the runs its units'
    /// rows come from (for the days from <paramref name="since"/> on, when given). The DuckDB query path reads only these;
    /// Athena filters the same by the join.
    /// </summary>
    public static string DailyFiles(Table table, bool current, DateOnly? since = null)
    {
        ArgumentNullException.ThrowIfNull(table);
        return $"SELECT DISTINCT r.\"path\" FROM \"{RunFilesView}\" r JOIN \"{DailyUnitsView}\" u ON u.\"table_name\" = r.\"table_name\" AND u.\"source_run_id\" = r.\"run_id\"" +
            $" WHERE r.\"table_name\" = {Literal(table.Name)} AND r.\"run_status\" IN ({Literals(VisibleRunStatuses)})" + (current ? " AND u.\"latest\"" : "") +
            (since is { } day ? $" AND u.\"report_date\" >= DATE '{day:yyyy-MM-dd}'" : "") + " ORDER BY 1";
    }

    /// <summary>The name of the cross-cloud footprint view.</summary>
    public const string ResourcesView = "cloudinv_resources";

    /// <summary>
    /// The SELECT of <c>cloudinv_resources</c>, the whole footprint in one relation: one row per resource of each
    /// table's <c>daily_</c> view (every cloud), as (cloud, account_id, region, service, resource_type, resource_id,
    /// name, tags, report_time, report_date). The account is the AWS account or the Azure subscription; the region is
    /// the AWS region (or <c>global</c>) or the Azure location; the resource id is the first key column that is not the
    /// account or region (as text), the name a string <c>name</c> column; tags the <c>tags</c> map (null where a table has none).
    /// An AWS resource's type is its table; Azure's resources come once each from <c>azure_resources</c> (and the
    /// containers' tables), typed by their ARM type (<c>microsoft.compute/virtualmachines</c>, service <c>compute</c>):
    /// the per-type Azure tables of Resource Graph's resources hold the same resources again and are left out (see <see cref="InFootprint"/>).
    /// </summary>
    public static string Resources(IEnumerable<Table> tables)
    {
        ArgumentNullException.ThrowIfNull(tables);
        var selects = tables.Where(InFootprint).Select(t =>
        {
            var id = t.PrimaryKey.FirstOrDefault(k => k is not "account_id" and not "region" && !k.Contains('.', StringComparison.Ordinal));
            var name = t.FindColumn("name") is { Type.Kind: ColumnKind.String } ? "CAST(\"name\" AS VARCHAR)" : "CAST(NULL AS VARCHAR)";
            var tags = t.FindColumn("tags")?.Type.Kind == ColumnKind.Map && t.FindColumn("tags")!.Type.Value?.Kind == ColumnKind.String
                ? "\"tags\"" : "CAST(NULL AS MAP(VARCHAR, VARCHAR))";
            var region = t.Cloud == Cloud.Azure ? "coalesce(nullif(\"location\", ''), \"region\")" : "\"region\"";
            var (service, type) = t.Cloud == Cloud.Azure
                ? (AzureProvider("\"type\""), "lower(\"type\")")
                : (Literal(t.Service), Literal(t.Name));
            return $"SELECT {Literal(Table.CloudName(t.Cloud))} AS \"cloud\", \"account_id\", {region} AS \"region\", {service} AS \"service\", " +
                $"{type} AS \"resource_type\", {(id is null ? "CAST(NULL AS VARCHAR)" : $"CAST({Id(id)} AS VARCHAR)")} AS \"resource_id\", {name} AS \"name\", " +
                $"{tags} AS \"tags\", \"report_time\", \"report_date\" FROM {Id("daily_" + t.Name)}";
        }).ToList();
        return selects.Count > 0 ? string.Join("\nUNION ALL ", selects)
            : "SELECT CAST(NULL AS VARCHAR) AS \"cloud\", CAST(NULL AS VARCHAR) AS \"account_id\", CAST(NULL AS VARCHAR) AS \"region\", CAST(NULL AS VARCHAR) AS \"service\", " +
              "CAST(NULL AS VARCHAR) AS \"resource_type\", CAST(NULL AS VARCHAR) AS \"resource_id\", CAST(NULL AS VARCHAR) AS \"name\", CAST(NULL AS MAP(VARCHAR, VARCHAR)) AS \"tags\", " +
              "CAST(NULL AS TIMESTAMP) AS \"report_time\", CAST(NULL AS DATE) AS \"report_date\" WHERE false";
    }

    /// <summary>
    /// Whether a table's rows are part of the footprint: every AWS table; Azure's catch-all (<c>azure_resources</c>),
    /// containers (subscriptions, resource groups) and the per-type tables whose rows the catch-all does not hold (types
    /// of other Resource Graph tables, such as role and policy assignments, and child types nested in their parent's
    /// properties, such as subnets); not the per-type tables of <c>resources</c> (the same resources again) nor the
    /// management groups (which hold resources but are none).
    /// </summary>
    public static bool InFootprint(Table table)
    {
        ArgumentNullException.ThrowIfNull(table);
        return table.Azure switch
        {
            null => true,
            { ResourceGraphTable: CloudInventory.Catalog.Internal.AzureTableFactory.ManagementGroupsApi } => false,
            { ResourceType: null } or { NestedIn: not null } => true,
            { ResourceGraphTable: var graph } => graph != CloudInventory.Catalog.Internal.AzureTableFactory.ResourcesTable,
        };
    }

    /// <summary>The Azure provider of a resource type expression, as a service name: <c>Microsoft.Compute/…</c> → <c>compute</c>.</summary>
    public static string AzureProvider(string typeExpression) => $"regexp_replace(lower(split_part({typeExpression}, '/', 1)), '^microsoft[.]', '')";

    /// <summary>
    /// The <c>cloudinv_resources</c> view in one dialect over some tables (those with account and region columns): the
    /// generated file for Athena/Trino and DuckDB, the same SELECT the query path creates (<see cref="Resources"/>). It
    /// needs the <c>daily_</c> views of those tables (their groups' view files) and the run views of <c>cloudinv.sql</c>.
    /// </summary>
    public static string RenderResources(IEnumerable<Table> tables, SqlDialect dialect)
    {
        ArgumentNullException.ThrowIfNull(tables);
        ArgumentNullException.ThrowIfNull(dialect);
        var footprint = tables.Where(t => t.FindColumn("account_id") is not null && t.FindColumn("region") is not null).ToList();
        var sb = new StringBuilder(GeneratedHeader.For("--"));
        sb.Append("-- The footprint across clouds: one row per resource per day of the ").Append(footprint.Count)
            .Append(" tables below (both clouds). Create cloudinv.sql and the views of these tables' groups first.\n\n");
        View(sb, ResourcesView, Resources(footprint));
        return sb.ToString();
    }

    /// <summary>The SELECT of <c>distinct_</c> (or, with <paramref name="daily"/>, <c>daily_distinct_</c>) over the all-snapshots view.</summary>
    public static string Distinct(Table table, SqlDialect dialect, bool daily)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(dialect);
        var identity = Identity(table);
        var source = Id(table.Name);
        string[] excluded = ["_window"];
        if (identity is null)
        {
            source = $"(SELECT *, {dialect.RowIdentity(table)} AS \"_identity\" FROM {Id(table.Name)}) i";
            identity = "\"_identity\"";
            excluded = ["_window", "_identity"];
        }
        var window = daily
            ? $"row_number() OVER (PARTITION BY \"report_date\", {identity} ORDER BY \"report_time\" DESC)"
            : $"row_number() OVER (PARTITION BY {identity} ORDER BY \"report_date\" DESC, \"report_time\" DESC)";
        return $"SELECT {dialect.SelectList(table, "d", withReportDate: true, excluded)}\nFROM (SELECT *, {window} AS \"_window\" FROM {source}) d\nWHERE d.\"_window\" = 1";
    }

    /// <summary>The views of some tables in one dialect, in order, over their files relations (<see cref="FilesRelation"/>).</summary>
    public static string Render(IEnumerable<Table> tables, SqlDialect dialect)
    {
        ArgumentNullException.ThrowIfNull(tables);
        ArgumentNullException.ThrowIfNull(dialect);
        var sb = new StringBuilder(GeneratedHeader.For("--"));
        sb.Append("-- The standard views; they need the run views of cloudinv.sql and, per table, its files relation files_<table>")
            .Append(dialect == SqlDialect.Athena ? " (the Glue tables).\n" : $" (read_parquet('<store>/aws/<service>/<resource>/*/*.parquet', hive_partitioning = true, union_by_name = true, filename = true)).\n");
        foreach (var table in tables)
        {
            sb.Append('\n');
            var files = Id(FilesRelation(table));
            View(sb, table.Name, Snapshots(table, dialect, files));
            View(sb, "current_" + table.Name, Daily(table, dialect, files, current: true));
            View(sb, "daily_" + table.Name, Daily(table, dialect, files, current: false));
            View(sb, "distinct_" + table.Name, Distinct(table, dialect, daily: false));
            View(sb, "daily_distinct_" + table.Name, Distinct(table, dialect, daily: true));
        }
        return sb.ToString();
    }

    /// <summary>The run relations in one dialect (<c>cloudinv_run_tables</c>, <c>cloudinv_run_files</c>, <c>cloudinv_daily_units</c>), and for DuckDB <c>cloudinv_runs</c> itself.</summary>
    public static string RenderRuns(SqlDialect dialect)
    {
        ArgumentNullException.ThrowIfNull(dialect);
        var sb = new StringBuilder(GeneratedHeader.For("--"));
        if (dialect == SqlDialect.Athena)
        {
            sb.Append("-- The run relations the standard views join on; cloudinv_runs is the Glue table over the run manifests (deploy/athena/tables/cloudinv.sql).\n\n");
        }
        else
        {
            sb.Append("-- The run relations the standard views join on. Replace ").Append(AthenaDdl.StoreLocation).Append(" with the store root.\n\n");
            sb.Append(dialect.RunsTableStatement(AthenaDdl.StoreLocation));
        }
        View(sb, RunTablesView, RunTables(dialect));
        View(sb, RunFilesView, RunFiles(dialect));
        View(sb, DailyUnitsView, DailyUnits());
        return sb.ToString();
    }

    private static void View(StringBuilder sb, string name, string select) =>
        sb.Append("CREATE OR REPLACE VIEW ").Append(Id(name)).Append(" AS\n").Append(select).Append(";\n");

    // The rows of the files a visible run's manifest lists (joined by table, day and file name).
    private static string ListedFiles(Table table, SqlDialect dialect, string files) =>
        $"FROM {files} f\nJOIN \"{RunFilesView}\" r ON r.\"table_name\" = {Literal(table.Name)} AND r.\"report_date\" = f.\"report_date\" " +
        $"AND r.\"file_name\" = regexp_extract(f.{dialect.FileColumn}, '[^/]+$') AND r.\"run_status\" IN ({Literals(VisibleRunStatuses)})";

    /// <summary>
    /// The columns that identify a row: account, region and the primary key (dotted paths for struct fields). A curated
    /// table with an empty key has one row per account and region; a discovered table with no key has no identity (null):
    /// its rows are told apart by all their values.
    /// </summary>
    public static IReadOnlyList<string>? KeyColumns(Table table)
    {
        ArgumentNullException.ThrowIfNull(table);
        if (table.PrimaryKey.Count == 0 && table.Origin == TableOrigin.Discovered) return null;
        return new[] { "account_id", "region" }.Concat(table.PrimaryKey).Distinct(StringComparer.Ordinal).ToArray();
    }

    private static string? Identity(Table table) =>
        KeyColumns(table) is { } keys ? string.Join(", ", keys.Select(k => string.Join('.', k.Split('.').Select(Id)))) : null;

    private static Column System(string name, ColumnType type, string description) => new(name, type, ColumnOrigin.System, null, description);

    private static StructField[] Fields(params (string Name, ColumnType Type)[] fields) => fields.Select(f => new StructField(f.Name, f.Name, f.Type)).ToArray();

    private static string Unquote(string identifier) => identifier.Trim('"');

    internal static string Id(string name) => "\"" + name.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    internal static string Literal(string text) => "'" + text.Replace("'", "''", StringComparison.Ordinal) + "'";

    private static string Literals(IEnumerable<string> values) => string.Join(", ", values.Select(Literal));
}
