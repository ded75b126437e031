using System.Text.Json;

namespace CloudInventory.Catalog;

/// <summary>
/// One table of the catalog: which call makes its rows, where the rows are in the output, and
/// the columns derived from the output shape. Every table is partitioned by <c>report_date</c>.
/// </summary>
public sealed class Table
{
    private readonly Dictionary<string, Column> _byName;

    internal Table(string service, string awsService, string resource, string operation, JsonElement fixedInput,
        RowPath rowPath, IReadOnlyList<string> primaryKey, TableScope scope, IReadOnlyList<Column> columns,
        IReadOnlyList<Enrichment> enrichments, ParentLink? parent, TableOrigin origin, string? specFile, InputFanOut? fanOut = null)
    {
        Service = service;
        AwsService = awsService;
        Resource = resource;
        Name = NameOf(service, resource);
        Operation = operation;
        FixedInput = fixedInput;
        RowPath = rowPath;
        PrimaryKey = primaryKey;
        Scope = scope;
        Columns = columns;
        Enrichments = enrichments;
        Parent = parent;
        Origin = origin;
        SpecFile = specFile;
        FanOut = fanOut;
        _byName = columns.ToDictionary(c => c.Name, StringComparer.Ordinal);
    }

    /// <summary>The partition column every table has.</summary>
    public static Column ReportDate { get; } = new("report_date", ColumnType.String, ColumnOrigin.System, null,
        "The UTC day of the collection run (yyyy-MM-dd); the Hive partition.");

    /// <summary>The table name, <c>aws_&lt;service&gt;_&lt;resource&gt;</c>.</summary>
    public string Name { get; }

    /// <summary>The service as written in table names, e.g. <c>cloudwatchlogs</c>, <c>elasticloadbalancingv2</c>.</summary>
    public string Service { get; }

    /// <summary>The bundled AWS service model the calls go to, e.g. <c>elbv2</c>.</summary>
    public string AwsService { get; }

    /// <summary>The resource, snake plural, e.g. <c>instances</c>.</summary>
    public string Resource { get; }

    /// <summary>The operation that lists the rows, e.g. <c>DescribeInstances</c>.</summary>
    public string Operation { get; }

    /// <summary>Fixed input parameters (a JSON object in the model's member names), e.g. <c>{"Owners":["self"]}</c>.</summary>
    public JsonElement FixedInput { get; }

    /// <summary>A parameter the operation is called with once per value, or null.</summary>
    public InputFanOut? FanOut { get; }

    /// <summary>Where the rows are in the output.</summary>
    public RowPath RowPath { get; }

    /// <summary>The columns that identify a row within an account and region (may be empty when nothing does).</summary>
    public IReadOnlyList<string> PrimaryKey { get; }

    /// <summary>Regional, or collected once per account.</summary>
    public TableScope Scope { get; }

    /// <summary>
    /// The columns in their stable order: carried and parent columns, the API columns in model
    /// order, the system columns (<c>account_id</c>, <c>region</c>, <c>report_time</c>), then enrichments.
    /// The partition column <see cref="ReportDate"/> is not included.
    /// </summary>
    public IReadOnlyList<Column> Columns { get; }

    /// <summary>The per-row follow-up calls.</summary>
    public IReadOnlyList<Enrichment> Enrichments { get; }

    /// <summary>For child tables, the parent table and the inputs taken from its rows; otherwise null.</summary>
    public ParentLink? Parent { get; }

    /// <summary>Curated by hand or discovered.</summary>
    public TableOrigin Origin { get; }

    /// <summary>The spec file that defines a curated table, e.g. <c>specs/aws/ec2.yaml</c>; null for discovered ones.</summary>
    public string? SpecFile { get; }

    /// <summary>Finds a column by name, or null.</summary>
    public Column? FindColumn(string name) => _byName.GetValueOrDefault(name);

    /// <summary>Every operation the table calls: its own and its enrichments'.</summary>
    public IEnumerable<string> Operations => Enrichments.Select(e => e.Operation).Prepend(Operation);

    /// <summary>The table name for a service and resource.</summary>
    public static string NameOf(string service, string resource) => $"aws_{service}_{resource}";

    /// <inheritdoc />
    public override string ToString() => Name;
}
