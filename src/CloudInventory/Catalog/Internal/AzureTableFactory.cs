using CloudInventory.Azure.Models;

namespace CloudInventory.Catalog.Internal;

/// <summary>
/// Builds the Azure tables from Azure's resource type models (<see cref="AzureModelBundle"/>): one table per resource
/// type, named <c>azure_&lt;provider&gt;_&lt;type&gt;</c> (see <see cref="NameOf"/>), with the common envelope of a
/// Resource Graph row as typed columns, the members of the type's <c>properties</c> flattened to typed top-level
/// columns, <c>properties_extra</c> (JSON) for members the model does not name, and the system columns. Write-only and
/// sensitive members never become columns. Types Resource Graph keeps in another table (<see cref="GraphTableOfType"/>)
/// are roots of their own scan; child types it nests in their parent's properties (<see cref="NestedTypes"/>) are
/// filled from the parent's rows. Plus the provider-neutral tables: <c>azure_resources</c> (every resource,
/// <c>properties</c> as JSON), <c>azure_subscriptions</c> (from the subscription API), <c>azure_resource_groups</c> (the
/// root of the <c>resourcecontainers</c> scan) and <c>azure_management_groups</c> (the tree with each group's ancestry,
/// from the management group API).
/// </summary>
internal static class AzureTableFactory
{
    /// <summary>The Resource Graph table of resources.</summary>
    public const string ResourcesTable = "resources";

    /// <summary>The Resource Graph table of subscriptions and resource groups.</summary>
    public const string ContainersTable = "resourcecontainers";

    /// <summary>The catch-all table of every resource.</summary>
    public const string AllResources = "azure_resources";

    /// <summary>The subscriptions table (from the subscription API: every subscription in scope, whatever its state).</summary>
    public const string Subscriptions = "azure_subscriptions";

    /// <summary>The management groups table (from the management group API, not Resource Graph).</summary>
    public const string ManagementGroups = "azure_management_groups";

    /// <summary>The source of <see cref="ManagementGroups"/>: the management group API's group and descendants.</summary>
    public const string ManagementGroupsApi = "managementGroups";

    /// <summary>The source of <see cref="Subscriptions"/>: the subscription API's listing (<c>GET /subscriptions</c>).</summary>
    public const string SubscriptionsApi = "subscriptions";

    /// <summary>The Resource Graph table of role assignments and definitions.</summary>
    public const string AuthorizationTable = "authorizationresources";

    /// <summary>The Resource Graph table of policy assignments, definitions and exemptions.</summary>
    public const string PolicyTable = "policyresources";

    /// <summary>The resource type of a management group.</summary>
    public const string ManagementGroupType = "Microsoft.Management/managementGroups";

    /// <summary>The resource type of a subscription in <c>resourcecontainers</c>.</summary>
    public const string SubscriptionType = "Microsoft.Resources/subscriptions";

    /// <summary>The resource type of a resource group in <c>resourcecontainers</c>.</summary>
    public const string ResourceGroupType = "Microsoft.Resources/subscriptions/resourceGroups";

    // Struct nesting below this depth is kept as JSON (Azure's models are deep and sometimes recursive).
    private const int MaxStructDepth = 4;

    /// <summary>The resource types reviewed by hand (keys, columns, docs): collected by default, like AWS's curated tables.</summary>
    public static readonly IReadOnlySet<string> CuratedTypes = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
    {
        "Microsoft.Compute/virtualMachines", "Microsoft.Compute/virtualMachineScaleSets", "Microsoft.Compute/disks", "Microsoft.Compute/snapshots",
        "Microsoft.Network/networkInterfaces", "Microsoft.Network/publicIPAddresses", "Microsoft.Network/virtualNetworks",
        "Microsoft.Network/virtualNetworks/subnets", "Microsoft.Network/networkSecurityGroups", "Microsoft.Network/routeTables",
        "Microsoft.Network/loadBalancers", "Microsoft.Network/applicationGateways", "Microsoft.Network/privateEndpoints",
        "Microsoft.Storage/storageAccounts", "Microsoft.KeyVault/vaults", "Microsoft.Sql/servers", "Microsoft.Sql/servers/databases",
        "Microsoft.DocumentDB/databaseAccounts", "Microsoft.Web/serverfarms", "Microsoft.Web/sites", "Microsoft.ContainerService/managedClusters",
        "Microsoft.ContainerRegistry/registries", "Microsoft.OperationalInsights/workspaces", "Microsoft.Authorization/roleAssignments",
        "Microsoft.Authorization/policyAssignments",
    };

    /// <summary>
    /// The resource types Resource Graph keeps in a table other than <c>resources</c>
    /// (learn.microsoft.com/azure/governance/resource-graph/reference/supported-tables-resources): their tables are
    /// roots of their own scan of that table, narrowed to the type.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, string> GraphTableOfType = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
    {
        ["Microsoft.Authorization/roleAssignments"] = AuthorizationTable,
        ["Microsoft.Authorization/roleDefinitions"] = AuthorizationTable,
        ["Microsoft.Authorization/policyAssignments"] = PolicyTable,
        ["Microsoft.Authorization/policyDefinitions"] = PolicyTable,
        ["Microsoft.Authorization/policySetDefinitions"] = PolicyTable,
        ["Microsoft.Authorization/policyExemptions"] = PolicyTable,
    };

    /// <summary>
    /// Child types Resource Graph does not list as rows but nests in their parent's <c>properties</c> (child type →
    /// parent type and member): their tables are filled from the parent's rows of the <c>resources</c> scan.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, (string Parent, string Member)> NestedTypes = new Dictionary<string, (string, string)>(StringComparer.OrdinalIgnoreCase)
    {
        ["Microsoft.Network/virtualNetworks/subnets"] = ("Microsoft.Network/virtualNetworks", "subnets"),
        ["Microsoft.Network/virtualNetworks/virtualNetworkPeerings"] = ("Microsoft.Network/virtualNetworks", "virtualNetworkPeerings"),
        ["Microsoft.Network/networkSecurityGroups/securityRules"] = ("Microsoft.Network/networkSecurityGroups", "securityRules"),
        ["Microsoft.Network/routeTables/routes"] = ("Microsoft.Network/routeTables", "routes"),
    };

    /// <summary>The envelope members of a Resource Graph row, in column order (JSON name → column).</summary>
    private static readonly (string Member, Column Column)[] s_envelope =
    [
        ("id", Api("id", ColumnType.String, "id", "The resource id (the table's key).")),
        ("name", Api("name", ColumnType.String, "name", "The resource name.")),
        ("type", Api("type", ColumnType.String, "type", "The resource type, as Resource Graph writes it (lower case).")),
        ("tenantId", Api("tenant_id", ColumnType.String, "tenantId", "The Entra ID tenant.")),
        ("subscriptionId", Api("subscription_id", ColumnType.String, "subscriptionId", "The subscription.")),
        ("resourceGroup", Api("resource_group", ColumnType.String, "resourceGroup", "The resource group.")),
        ("location", Api("location", ColumnType.String, "location", "The Azure location (region), e.g. westeurope.")),
        ("kind", Api("kind", ColumnType.String, "kind", "The kind of the resource, where its type has kinds.")),
        ("managedBy", Api("managed_by", ColumnType.String, "managedBy", "The resource that manages this one, if any.")),
        ("sku", Api("sku", ColumnType.Struct([Field("name", "name", ColumnType.String), Field("tier", "tier", ColumnType.String),
            Field("size", "size", ColumnType.String), Field("family", "family", ColumnType.String), Field("capacity", "capacity", ColumnType.Int64)]), "sku", "The SKU.")),
        ("plan", Api("plan", ColumnType.Json, "plan", "The marketplace plan, as JSON.")),
        ("identity", Api("identity", ColumnType.Struct([Field("type", "type", ColumnType.String), Field("principal_id", "principalId", ColumnType.String),
            Field("tenant_id", "tenantId", ColumnType.String), Field("user_assigned_identities", "userAssignedIdentities", ColumnType.Json)]), "identity", "The managed identity.")),
        ("zones", Api("zones", ColumnType.List(ColumnType.String), "zones", "The availability zones.")),
        ("extendedLocation", Api("extended_location", ColumnType.Json, "extendedLocation", "The extended location (edge zone), as JSON.")),
        ("tags", Api("tags", ColumnType.StringMap, "tags", "The tags.")),
    ];

    // Members Azure's models do not flag but that carry secrets or code (boot scripts, connection strings, keys, passwords):
    // never stored either, like AWS's user data and secret values.
    private static readonly string[] s_secretBearingParts = ["password", "secret", "connectionstring", "accesskey", "privatekey", "sastoken"];
    private static readonly HashSet<string> s_secretBearingNames = new(StringComparer.OrdinalIgnoreCase)
    {
        "userData", "customData", "protectedSettings", "primaryKey", "secondaryKey", "primaryMasterKey", "secondaryMasterKey", "keys",
    };

    /// <summary>Whether a modelled member may be stored: not write-only, not sensitive, and not secret-bearing by name.</summary>
    public static bool IsStored(AzureMember member) => member.IsStored && !IsSecretBearing(member.Name);

    /// <summary>Whether a member's name says it carries a secret or code (<c>userData</c>, <c>adminPassword</c>, <c>connectionStrings</c>, …).</summary>
    public static bool IsSecretBearing(string name) =>
        s_secretBearingNames.Contains(name) || s_secretBearingParts.Any(p => name.Contains(p, StringComparison.OrdinalIgnoreCase));

    /// <summary>The system columns of every Azure table (the run's unit is the subscription: <c>region</c> is <c>global</c>).</summary>
    public static IReadOnlyList<Column> SystemColumns { get; } =
    [
        new("account_id", ColumnType.String, ColumnOrigin.System, null, "The subscription the row was collected from (the run's unit; the same as subscription_id)."),
        new("region", ColumnType.String, ColumnOrigin.System, null, "Always global: Azure rows are collected once per subscription (the location is in location)."),
        new("report_time", ColumnType.Timestamp, ColumnOrigin.System, null, "When the collection run started (UTC)."),
    ];

    /// <summary>The JSON members of a Resource Graph row that are envelope columns.</summary>
    public static IReadOnlyList<(string Member, Column Column)> Envelope => s_envelope;

    /// <summary>
    /// Every Azure table of a model bundle: the provider-neutral ones, then one per resource type; with
    /// <paramref name="include"/>, only the tables whose names it accepts are built (names cost nothing, tables do).
    /// </summary>
    public static IEnumerable<Table> Build(AzureModelBundle bundle, Func<string, bool>? include = null)
    {
        ArgumentNullException.ThrowIfNull(bundle);
        bool Wants(string resource) => include is null || include(Table.NameOf(Cloud.Azure, "", resource));
        if (Wants("resources")) yield return Neutral("resources", new AzureTableSource(ResourcesTable, null, null), parent: null);
        if (Wants("subscriptions")) yield return SubscriptionTable();
        if (Wants("resource_groups")) yield return Neutral("resource_groups", new AzureTableSource(ContainersTable, ResourceGroupType, null), parent: null);
        if (Wants("management_groups")) yield return ManagementGroupTable();
        var names = new HashSet<string>(StringComparer.Ordinal);
        // A few types have a second, legacy spelling (api-version-sets beside apiVersionSets) that makes the same name:
        // the usual camel-case spelling gets the table, the other's rows are in azure_resources.
        foreach (var model in bundle.Types.OrderBy(t => t.Type.Contains('-', StringComparison.Ordinal)))
        {
            // Subscriptions and resource groups come from resourcecontainers (the tables above), management groups from their API.
            if (string.Equals(model.Type, SubscriptionType, StringComparison.OrdinalIgnoreCase) || string.Equals(model.Type, ResourceGroupType, StringComparison.OrdinalIgnoreCase)
                || string.Equals(model.Type, ManagementGroupType, StringComparison.OrdinalIgnoreCase)) continue;
            var (service, resource) = NameParts(model.Type);
            var name = Table.NameOf(Cloud.Azure, service, resource);
            if (!names.Add(name) || (include is not null && !include(name))) continue;
            yield return ForType(model, service, resource);
        }
    }

    /// <summary>The table name of a resource type: <c>Microsoft.Compute/virtualMachines</c> → <c>azure_compute_virtual_machines</c>.</summary>
    public static string NameOf(string resourceType)
    {
        var (service, resource) = NameParts(resourceType);
        return Table.NameOf(Cloud.Azure, service, resource);
    }

    /// <summary>
    /// The service and resource parts of a type's table name: the provider without <c>Microsoft.</c>, lower case, other
    /// dots as underscores (<c>Microsoft.DBforPostgreSQL</c> → <c>dbforpostgresql</c>); the type's segments in snake case
    /// joined by underscores (<c>virtualNetworks/subnets</c> → <c>virtual_networks_subnets</c>).
    /// </summary>
    public static (string Service, string Resource) NameParts(string resourceType)
    {
        var slash = resourceType.IndexOf('/', StringComparison.Ordinal);
        var provider = resourceType[..slash];
        if (provider.StartsWith("Microsoft.", StringComparison.OrdinalIgnoreCase)) provider = provider["Microsoft.".Length..];
        var service = new string(provider.ToLowerInvariant().Select(c => char.IsAsciiLetterOrDigit(c) ? c : '_').ToArray());
        var resource = string.Join('_', resourceType[(slash + 1)..].Split('/').Select(ColumnNames.ToSnakeCase));
        return (service, resource);
    }

    private static Table Neutral(string resource, AzureTableSource source, string? parent)
    {
        var columns = new List<Column>(s_envelope.Select(e => e.Column))
        {
            Api("properties", ColumnType.Json, "properties", "The resource's properties as JSON (write-only and sensitive members removed)."),
        };
        columns.AddRange(SystemColumns);
        return new Table("", resource, source, ["id"], columns, parent is null ? null : new ParentLink(parent, []), TableOrigin.Curated);
    }

    // The subscriptions in the run's scope as GET /subscriptions lists them, whatever their state (a disabled one too): one
    // row each, collected once per run (one unit for the tenant); account_id is the subscription itself.
    private static Table SubscriptionTable()
    {
        List<Column> columns =
        [
            Api("id", ColumnType.String, "id", "The subscription's resource id, /subscriptions/{guid} (the table's key)."),
            Api("subscription_id", ColumnType.String, "subscriptionId", "The subscription's GUID."),
            Api("name", ColumnType.String, "displayName", "The display name (Resource Graph's name of a subscription)."),
            Api("display_name", ColumnType.String, "displayName", "The display name."),
            Api("type", ColumnType.String, "type", "Always microsoft.resources/subscriptions."),
            Api("tenant_id", ColumnType.String, "tenantId", "The Entra ID tenant the subscription belongs to."),
            Api("state", ColumnType.String, "state", "Enabled, Warned, PastDue, Disabled or Deleted; only Enabled subscriptions are collected."),
            Api("authorization_source", ColumnType.String, "authorizationSource", "How the credential may read it (RoleBased, Legacy, …)."),
            Api("subscription_policies", ColumnType.Struct([Field("location_placement_id", "locationPlacementId", ColumnType.String),
                Field("quota_id", "quotaId", ColumnType.String), Field("spending_limit", "spendingLimit", ColumnType.String)]), "subscriptionPolicies", "The subscription's policies."),
            Api("managed_by_tenants", ColumnType.List(ColumnType.Struct([Field("tenant_id", "tenantId", ColumnType.String)])), "managedByTenants",
                "The tenants that manage the subscription (Azure Lighthouse)."),
            Api("location", ColumnType.String, "location", "Always null: a subscription has no location."),
            Api("tags", ColumnType.StringMap, "tags", "The tags."),
        ];
        columns.AddRange(SystemColumns);
        return new Table("", "subscriptions", new AzureTableSource(SubscriptionsApi, SubscriptionType, null), ["id"], columns, null, TableOrigin.Curated);
    }

    // The management group tree: one row per group at or below the run's root group (the --management-group, else the
    // tenant root group), collected once per run for the tenant (account_id is the tenant id).
    private static Table ManagementGroupTable()
    {
        List<Column> columns =
        [
            Api("id", ColumnType.String, "id", "The management group's resource id (the table's key)."),
            Api("name", ColumnType.String, "name", "The management group's name (its id; the tenant id for the tenant root group)."),
            Api("type", ColumnType.String, "type", "Always Microsoft.Management/managementGroups."),
            Api("tenant_id", ColumnType.String, "tenantId", "The Entra ID tenant."),
            Api("display_name", ColumnType.String, "properties.displayName", "The display name."),
            Api("parent_id", ColumnType.String, "properties.parent.id", "The parent group's resource id; null for the tenant root group."),
            Api("parent_name", ColumnType.String, "properties.parent.name", "The parent group's name; null for the tenant root group."),
            Api("ancestors", ColumnType.List(ColumnType.String), "properties.ancestors",
                "The names of the groups above this one, from the tenant root group down to the parent (empty for the root)."),
            Api("depth", ColumnType.Int64, "properties.ancestors", "How many groups are above this one (0 for the tenant root group)."),
            Api("subscriptions", ColumnType.List(ColumnType.String), "properties.children",
                "The subscriptions directly in this group (their GUIDs), whatever their state."),
            new("account_id", ColumnType.String, ColumnOrigin.System, null, "The tenant (management groups belong to the tenant, not to a subscription)."),
            new("region", ColumnType.String, ColumnOrigin.System, null, "Always global."),
            new("report_time", ColumnType.Timestamp, ColumnOrigin.System, null, "When the collection run started (UTC)."),
        ];
        return new Table("", "management_groups", new AzureTableSource(ManagementGroupsApi, ManagementGroupType, null), ["id"], columns, null, TableOrigin.Curated);
    }

    private static Table ForType(AzureResourceModel model, string service, string resource)
    {
        var columns = new List<Column>(s_envelope.Select(e => e.Column));
        var taken = new HashSet<string>(columns.Select(c => c.Name).Concat(SystemColumns.Select(c => c.Name)).Append("properties_extra").Append(Table.ReportDate.Name), StringComparer.Ordinal);
        if (model.Properties is { Kind: AzureShapeKind.Object } properties)
        {
            foreach (var member in properties.Members.Values.Where(IsStored))
            {
                if (TypeOf(member.Shape, 1) is not { } type) continue;
                var name = ColumnNames.ToSnakeCase(member.Name);
                if (name.Length == 0) continue;
                if (!taken.Add(name) && !taken.Add(name = "properties_" + name)) continue;
                columns.Add(new Column(name, type, ColumnOrigin.Api, "properties." + member.Name, Flags(member)));
            }
        }
        columns.Add(Api("properties_extra", ColumnType.Json, "properties",
            "The members of properties the type's model does not name, as a JSON object (null when there are none)."));
        columns.AddRange(SystemColumns);
        var origin = CuratedTypes.Contains(model.Type) ? TableOrigin.Curated : TableOrigin.Discovered;
        // A type of another Resource Graph table is the root of its own scan; the others are fed by the resources scan
        // (nested types from their parent's rows).
        if (GraphTableOfType.TryGetValue(model.Type, out var graphTable))
        {
            return new Table(service, resource, new AzureTableSource(graphTable, model.Type, model.ApiVersion), ["id"], columns, null, origin);
        }
        var source = NestedTypes.TryGetValue(model.Type, out var nested)
            ? new AzureTableSource(ResourcesTable, model.Type, model.ApiVersion) { NestedIn = nested.Parent, NestedMember = nested.Member }
            : new AzureTableSource(ResourcesTable, model.Type, model.ApiVersion);
        return new Table(service, resource, source, ["id"], columns, new ParentLink(AllResources, []), origin);
    }

    /// <summary>The column type of a modelled value, or null when it has none (an object without stored members).</summary>
    public static ColumnType? TypeOf(AzureShape shape, int depth)
    {
        switch (shape.Kind)
        {
            case AzureShapeKind.String or AzureShapeKind.Enum: return ColumnType.String;
            case AzureShapeKind.Integer: return ColumnType.Int64;
            case AzureShapeKind.Boolean: return ColumnType.Bool;
            case AzureShapeKind.Array:
                return shape.Item is { } item && TypeOf(item, depth + 1) is { } element ? ColumnType.List(element) : ColumnType.Json;
            case AzureShapeKind.Object:
                if (depth >= MaxStructDepth) return ColumnType.Json;
                var stored = shape.Members.Values.Where(IsStored).ToList();
                if (stored.Count == 0)
                {
                    // A map (string → value) or an open object.
                    return shape.Additional is { } value && TypeOf(value, depth + 1) is { } v && !v.IsNested ? ColumnType.Map(ColumnType.String, v) : ColumnType.Json;
                }
                if (shape.Additional is not null) return ColumnType.Json;
                var fields = new List<StructField>();
                var names = new HashSet<string>(StringComparer.Ordinal);
                foreach (var member in stored)
                {
                    var name = ColumnNames.ToSnakeCase(member.Name);
                    if (name.Length == 0 || !names.Add(name) || TypeOf(member.Shape, depth + 1) is not { } type) continue;
                    fields.Add(new StructField(name, member.Name, type));
                }
                return fields.Count == 0 ? ColumnType.Json : ColumnType.Struct(fields);
            default: return ColumnType.Json;
        }
    }

    private static string? Flags(AzureMember member) => member.IsReadOnly ? "Read-only (set by Azure)." : null;

    private static Column Api(string name, ColumnType type, string member, string description) => new(name, type, ColumnOrigin.Api, member, description);

    private static StructField Field(string name, string source, ColumnType type) => new(name, source, type);
}
