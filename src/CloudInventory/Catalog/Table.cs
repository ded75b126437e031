using System.Text.Json;

namespace CloudInventory.Catalog;

/// <summary>
/// One table of the catalog: its cloud, where its rows come from (an AWS operation and row path, or an Azure
/// Resource Graph scan), and the columns derived from the provider's model. Every table is partitioned by <c>report_date</c>.
/// </summary>
public sealed class Table
{
    private static readonly JsonElement s_noInput = JsonDocument.Parse("{}").RootElement.Clone();
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
        Cloud = Cloud.Aws;
        Source = $"{awsService}:{operation}";
        _byName = columns.ToDictionary(c => c.Name, StringComparer.Ordinal);
    }

    /// <summary>An Azure table: collected once per subscription (<see cref="TableScope.Global"/>) from a Resource Graph scan.</summary>
    internal Table(string service, string resource, AzureTableSource azure, IReadOnlyList<string> primaryKey, IReadOnlyList<Column> columns,
        ParentLink? parent, TableOrigin origin)
    {
        Cloud = Cloud.Azure;
        Service = service;
        AwsService = "";
        Resource = resource;
        Name = NameOf(Cloud.Azure, service, resource);
        Operation = "";
        FixedInput = s_noInput;
        RowPath = RowPath.Of([]);
        PrimaryKey = primaryKey;
        Scope = TableScope.Global;
        Columns = columns;
        Enrichments = [];
        Parent = parent;
        Origin = origin;
        Azure = azure;
        Source = azure.ToString();
        _byName = columns.ToDictionary(c => c.Name, StringComparer.Ordinal);
    }

    /// <summary>The partition column every table has.</summary>
    public static Column ReportDate { get; } = new("report_date", ColumnType.String, ColumnOrigin.System, null,
        "The UTC day of the collection run (yyyy-MM-dd); the Hive partition.");

    /// <summary>The table name, <c>&lt;cloud&gt;_&lt;service&gt;_&lt;resource&gt;</c> (see <see cref="NameOf(Catalog.Cloud, string, string)"/>).</summary>
    public string Name { get; }

    /// <summary>The cloud the rows come from.</summary>
    public Cloud Cloud { get; }

    /// <summary>
    /// The service as written in table names: an AWS service (<c>cloudwatchlogs</c>, <c>elasticloadbalancingv2</c>) or an
    /// Azure resource provider (<c>compute</c> for Microsoft.Compute); empty for Azure's provider-neutral tables (<c>azure_resources</c>).
    /// </summary>
    public string Service { get; }

    /// <summary>For AWS tables, the bundled AWS service model the calls go to, e.g. <c>elbv2</c>; empty for Azure tables.</summary>
    public string AwsService { get; }

    /// <summary>The resource, snake plural, e.g. <c>instances</c>, <c>virtual_machines</c>.</summary>
    public string Resource { get; }

    /// <summary>Where the rows come from, in one line: <c>ec2:DescribeInstances</c>, or the Azure source (<see cref="AzureTableSource"/>).</summary>
    public string Source { get; }

    /// <summary>For Azure tables, the Resource Graph scan and resource type the rows come from; null for AWS tables.</summary>
    public AzureTableSource? Azure { get; }

    /// <summary>For AWS tables, the operation that lists the rows, e.g. <c>DescribeInstances</c>; empty for Azure tables.</summary>
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

    /// <summary>Every AWS operation the table calls: its own and its enrichments' (none for Azure tables).</summary>
    public IEnumerable<string> Operations => Cloud == Cloud.Aws ? Enrichments.Select(e => e.Operation).Prepend(Operation) : [];

    /// <summary>The name of an AWS table for a service and resource: <c>aws_&lt;service&gt;_&lt;resource&gt;</c>.</summary>
    public static string NameOf(string service, string resource) => NameOf(Cloud.Aws, service, resource);

    /// <summary>
    /// The table name for a cloud, service and resource: <c>&lt;cloud&gt;_&lt;service&gt;_&lt;resource&gt;</c>, or
    /// <c>&lt;cloud&gt;_&lt;resource&gt;</c> when the service is empty (Azure's <c>azure_resources</c>, <c>azure_subscriptions</c>, …).
    /// </summary>
    public static string NameOf(Cloud cloud, string service, string resource) =>
        service.Length == 0 ? $"{CloudName(cloud)}_{resource}" : $"{CloudName(cloud)}_{service}_{resource}";

    /// <summary>The cloud as written in table names and store paths: <c>aws</c>, <c>azure</c>.</summary>
    public static string CloudName(Cloud cloud) => cloud switch
    {
        Cloud.Aws => "aws",
        Cloud.Azure => "azure",
        _ => throw new ArgumentOutOfRangeException(nameof(cloud)),
    };

    /// <inheritdoc />
    public override string ToString() => Name;
}
