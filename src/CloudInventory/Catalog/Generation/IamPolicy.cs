using System.Text;
using System.Text.Json;
using CloudInventory.Aws.Models;
using CloudInventory.Catalog.Generation.Internal;

namespace CloudInventory.Catalog.Generation;

/// <summary>
/// The least-privilege IAM policy for collecting some tables: an Allow of exactly the actions their
/// calls need (root operations, the parents of child tables, enrichments, and the reads every run makes:
/// STS, Organizations, <c>DescribeRegions</c>), with IAM's own action names, split into documents that fit
/// IAM's managed-policy size limit, each carrying an explicit Deny of the actions that read secrets or data.
/// </summary>
public sealed class IamPolicy
{
    /// <summary>IAM's limit on a managed policy document, in characters not counting whitespace.</summary>
    public const int ManagedPolicyLimit = 6144;

    /// <summary>The reads every collection run makes besides its tables' calls.</summary>
    public static IReadOnlyList<(string Service, string Operation)> RunOperations { get; } =
    [
        ("sts", "GetCallerIdentity"),
        ("ec2", "DescribeRegions"),
        ("organizations", "ListAccounts"),
        ("organizations", "ListRoots"),
        ("organizations", "ListAccountsForParent"),
        ("organizations", "ListOrganizationalUnitsForParent"),
    ];

    /// <summary>
    /// The actions every generated document denies, whatever else is attached to the role: they return
    /// secrets, decrypted data or stored content rather than configuration. IAM wildcards (<c>*</c>, <c>?</c>).
    /// <c>lambda:GetFunction</c> is denied because its answer carries a link to download the function's code
    /// (which often embeds credentials); the catalog reads functions through <c>ListFunctions</c>.
    /// </summary>
    public static IReadOnlyList<string> DeniedActions { get; } =
    [
        "athena:GetQueryResults",
        "codecommit:GetBlob",
        "codecommit:GetFile",
        "dynamodb:BatchGetItem",
        "dynamodb:GetItem",
        "dynamodb:Query",
        "dynamodb:Scan",
        "ec2:GetConsoleOutput",
        "ec2:GetConsoleScreenshot",
        "ec2:GetLaunchTemplateData",
        "ec2:GetPasswordData",
        "ecr:BatchGetImage",
        "ecr:GetAuthorizationToken",
        "ecr:GetDownloadUrlForLayer",
        "kinesis:GetRecords",
        "kms:Decrypt",
        "lambda:GetFunction",
        "logs:FilterLogEvents",
        "logs:GetLogEvents",
        "rds:DownloadDBLogFilePortion",
        "s3:GetObject",
        "s3:GetObjectVersion",
        "secretsmanager:BatchGetSecretValue",
        "secretsmanager:GetSecretValue",
        "sqs:ReceiveMessage",
        "ssm:GetParameter*",
    ];

    private IamPolicy(IReadOnlyList<string> actions, IReadOnlyList<string> notGrantable, IReadOnlyList<string> documents)
    {
        Actions = actions;
        NotGrantable = notGrantable;
        Documents = documents;
    }

    /// <summary>The allowed actions (<c>prefix:Name</c>), sorted, without duplicates.</summary>
    public IReadOnlyList<string> Actions { get; }

    /// <summary>Operations the tables call that no IAM policy can grant, as <c>service:Operation (reason)</c>; their tables record access errors.</summary>
    public IReadOnlyList<string> NotGrantable { get; }

    /// <summary>The policy documents (JSON), each within <see cref="ManagedPolicyLimit"/>; attach all of them.</summary>
    public IReadOnlyList<string> Documents { get; }

    /// <summary>The policy for collecting <paramref name="tables"/> (and the parents their rows come through) from <paramref name="catalog"/>.</summary>
    /// <exception cref="CatalogException">A table's parent is not in the catalog, or a service is not in the model bundle.</exception>
    public static IamPolicy For(TableCatalog catalog, IEnumerable<Table> tables, AwsModelBundle? models = null)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(tables);
        models ??= AwsModelBundle.Default;
        var calls = new HashSet<(string Service, string Operation)>(RunOperations);
        foreach (var selected in tables)
        {
            for (var table = selected; table is not null; table = table.Parent is { } link ? catalog.Find(link.Table) ?? throw new CatalogException($"table {table.Name} has an unknown parent {link.Table}") : null)
            {
                foreach (var operation in table.Operations) calls.Add((table.AwsService, operation));
            }
        }
        var actions = new SortedSet<string>(StringComparer.Ordinal);
        var notGrantable = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var (service, operation) in calls)
        {
            var info = models.Find(service) ?? throw new CatalogException($"service {service} is not in the model bundle");
            if (IamActionNames.ActionOf(info.Name, info.SigningName, operation, out var reason) is { } action) actions.Add(action);
            else notGrantable.Add($"{info.Name}:{operation} ({reason})");
        }
        return new IamPolicy(actions.ToArray(), notGrantable.ToArray(), Split(actions.ToArray()));
    }

    /// <summary>The size IAM counts for a policy document: its characters other than whitespace.</summary>
    public static int SizeOf(string document)
    {
        ArgumentNullException.ThrowIfNull(document);
        var size = 0;
        foreach (var c in document) if (!char.IsWhiteSpace(c)) size++;
        return size;
    }

    /// <summary>The files of the policy: <c>cloudinv-read-&lt;k&gt;.json</c> per document, and a README (with the generated-file header) saying what they hold.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Files(string directory)
    {
        ArgumentNullException.ThrowIfNull(directory);
        var files = new List<KeyValuePair<string, string>>();
        var readme = new StringBuilder(GeneratedHeader.For("<!--").TrimEnd('\n')).Append(" -->\n\n# IAM policy for collection\n\n");
        readme.Append("Attach every `cloudinv-read-*.json` below to the role `cloudinv collect` uses (in each member account).\n");
        readme.Append($"Together they allow exactly {Actions.Count} read actions and each one denies the {DeniedActions.Count} actions that read secrets or data\n");
        readme.Append($"(a JSON policy cannot carry a comment, so this file says they are generated). Each document is at most {ManagedPolicyLimit:N0} characters without whitespace.\n\n");
        readme.Append("| file | actions | size |\n|---|---|---|\n");
        for (var i = 0; i < Documents.Count; i++)
        {
            var name = $"cloudinv-read-{i + 1}.json";
            using var doc = JsonDocument.Parse(Documents[i]);
            var count = doc.RootElement.GetProperty("Statement")[0].GetProperty("Action").GetArrayLength();
            readme.Append($"| `{name}` | {count} | {SizeOf(Documents[i])} |\n");
            files.Add(new($"{directory}/{name}", Documents[i]));
        }
        if (NotGrantable.Count > 0)
        {
            readme.Append("\nOperations the tables call that no IAM policy can grant (their tables record the access error and the run goes on):\n\n");
            foreach (var line in NotGrantable) readme.Append("- `").Append(line.Split(' ')[0]).Append("` ").Append(line[(line.IndexOf(' ', StringComparison.Ordinal) + 1)..]).Append('\n');
        }
        files.Add(new($"{directory}/README.md", readme.ToString()));
        return files;
    }

    // Greedy: actions in order (grouped by service prefix) into documents while they fit.
    private static List<string> Split(IReadOnlyList<string> actions)
    {
        var documents = new List<string>();
        var part = new List<string>();
        foreach (var action in actions)
        {
            part.Add(action);
            if (SizeOf(Render(part)) <= ManagedPolicyLimit) continue;
            part.RemoveAt(part.Count - 1);
            if (part.Count == 0) throw new CatalogException($"the action {action} alone does not fit an IAM policy");
            documents.Add(Render(part));
            part = [action];
        }
        if (part.Count > 0 || documents.Count == 0) documents.Add(Render(part));
        return documents;
    }

    private static string Render(IReadOnlyList<string> actions)
    {
        var sb = new StringBuilder();
        sb.Append("{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [\n");
        sb.Append("    {\n      \"Sid\": \"CloudInventoryRead\",\n      \"Effect\": \"Allow\",\n      \"Action\": [\n");
        AppendList(sb, actions);
        sb.Append("      ],\n      \"Resource\": \"*\"\n    },\n");
        sb.Append("    {\n      \"Sid\": \"CloudInventoryNeverReadsSecretsOrData\",\n      \"Effect\": \"Deny\",\n      \"Action\": [\n");
        AppendList(sb, DeniedActions);
        sb.Append("      ],\n      \"Resource\": \"*\"\n    }\n  ]\n}\n");
        return sb.ToString();
    }

    private static void AppendList(StringBuilder sb, IReadOnlyList<string> items)
    {
        for (var i = 0; i < items.Count; i++)
        {
            sb.Append("        \"").Append(items[i]).Append('"').Append(i + 1 < items.Count ? ",\n" : "\n");
        }
    }
}
