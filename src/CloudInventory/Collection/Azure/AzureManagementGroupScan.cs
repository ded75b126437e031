using System.Text.Json.Nodes;
using CloudInventory.Azure;
using CloudInventory.Catalog;
using CloudInventory.Collection.Internal;
using CloudInventory.Storage;

namespace CloudInventory.Collection.Azure;

/// <summary>
/// Collects <c>azure_management_groups</c>: the run's root group (the <c>--management-group</c>, else the tenant root
/// group) with its ancestors (<c>GET …/managementGroups/{id}?$expand=ancestors</c>), and every group below it with its
/// parent (<c>GET …/descendants</c>); each group's ancestry is its parent chain up to the root group, then the root's
/// ancestors. Without a <c>--management-group</c>, a credential that may not read the tenant root group (Reader on
/// subscriptions only) makes the table skipped with the reason, not failed: its subscriptions are still collected.
/// </summary>
internal static class AzureManagementGroupScan
{
    /// <summary>The error code recorded when the credential may not read the tenant's management groups.</summary>
    public const string NotReadableCode = "ManagementGroupsNotReadable";

    public static async Task<IReadOnlyList<RunManifestTable>> FetchAsync(AzureClient client, string rootGroup, bool rootGiven, WorkUnit unit, RunContext run, CancellationToken cancellationToken)
    {
        var table = unit.Table;
        List<JsonNode?[]> rows;
        try
        {
            rows = await ReadAsync(client, rootGroup, table, unit.AccountId, run.ReportTime, cancellationToken).ConfigureAwait(false);
        }
        catch (AzureApiException e) when (!rootGiven && e.Status is 403 or 404)
        {
            var reason = $"the credential may not read the tenant root group ({e.Code}: {e.Message}); grant it Reader at the tenant root group, or name a group with --management-group";
            run.Errors.Add(new CollectionError(unit.AccountId, "global", table.Name, e.Operation, NotReadableCode, reason, 1, null));
            return [new RunManifestTable(table.Name, unit.AccountId, "global", 0, TableRunStatus.Skipped, NotReadableCode)];
        }
        catch (AzureApiException e)
        {
            run.Errors.Add(new CollectionError(unit.AccountId, "global", table.Name, e.Operation, e.Code, e.Message, 1, null));
            CollectorLog.TableError(run.Logger, table.Name, unit.AccountId, "global", e.Operation, e.Code, 1, e.Message);
            return [new RunManifestTable(table.Name, unit.AccountId, "global", 0, TableRunStatus.Error, e.Code)];
        }
        if (cancellationToken.IsCancellationRequested) return [];
        var buffer = new TableRowBuffer(table);
        foreach (var row in rows) buffer.Append(row);
        run.Writer.Append(table, buffer);
        return [new RunManifestTable(table.Name, unit.AccountId, "global", rows.Count, rows.Count == 0 ? TableRunStatus.Empty : TableRunStatus.Ok)];
    }

    // The rows, root group first, then its descendant groups in the order Azure lists them.
    private static async Task<List<JsonNode?[]>> ReadAsync(AzureClient client, string rootGroup, Table table, string tenantId, DateTimeOffset reportTime, CancellationToken cancellationToken)
    {
        var root = await client.GetManagementGroupAsync(rootGroup, cancellationToken).ConfigureAwait(false);
        var groups = new List<AzureManagementGroupEntity>();
        var subscriptions = new Dictionary<string, List<string>>(StringComparer.OrdinalIgnoreCase);
        await foreach (var d in client.ListManagementGroupDescendantsAsync(root.Name, cancellationToken).ConfigureAwait(false))
        {
            if (d.IsSubscription)
            {
                if (d.ParentId is { } parent) (subscriptions.TryGetValue(parent, out var list) ? list : subscriptions[parent] = []).Add(d.Name);
            }
            else
            {
                groups.Add(d);
            }
        }
        // Ancestry from the root group down (Azure lists ancestors from the immediate parent up).
        var rootAncestors = root.Ancestors.Reverse().ToList();
        var byId = groups.ToDictionary(g => g.Id, StringComparer.OrdinalIgnoreCase);
        var ancestry = new Dictionary<string, List<string>>(StringComparer.OrdinalIgnoreCase) { [root.Id] = rootAncestors };

        var index = table.Columns.Select((c, i) => (c.Name, i)).ToDictionary(x => x.Name, x => x.i, StringComparer.Ordinal);
        var rows = new List<JsonNode?[]> { Row(root.Id, root.Name, root.DisplayName, root.TenantId ?? tenantId, root.ParentId, rootAncestors) };
        foreach (var group in groups) rows.Add(Row(group.Id, group.Name, group.DisplayName, root.TenantId ?? tenantId, group.ParentId, AncestorsOf(group)));
        return rows;

        List<string> AncestorsOf(AzureManagementGroupEntity group)
        {
            if (ancestry.TryGetValue(group.Id, out var known)) return known;
            ancestry[group.Id] = []; // a cycle (never in Azure) ends here instead of recursing forever
            var parent = group.ParentId;
            List<string> chain = parent is null ? []
                : ancestry.TryGetValue(parent, out var p) ? [.. p, NameOf(parent)]
                : byId.TryGetValue(parent, out var pg) ? [.. AncestorsOf(pg), pg.Name]
                : [NameOf(parent)];
            return ancestry[group.Id] = chain;
        }

        JsonNode?[] Row(string id, string name, string? displayName, string tenant, string? parentId, List<string> ancestors)
        {
            var values = new JsonNode?[table.Columns.Count];
            values[index["id"]] = id;
            values[index["name"]] = name;
            values[index["type"]] = CloudInventory.Catalog.Internal.AzureTableFactory.ManagementGroupType;
            values[index["tenant_id"]] = tenant;
            values[index["display_name"]] = displayName;
            values[index["parent_id"]] = parentId;
            values[index["parent_name"]] = parentId is null ? null : NameOf(parentId);
            values[index["ancestors"]] = new JsonArray(ancestors.Select(a => (JsonNode?)a).ToArray());
            values[index["depth"]] = ancestors.Count;
            values[index["subscriptions"]] = new JsonArray((subscriptions.GetValueOrDefault(id) ?? []).Select(s => (JsonNode?)s).ToArray());
            values[index["account_id"]] = tenantId;
            values[index["region"]] = "global";
            values[index["report_time"]] = JsonValue.Create(reportTime);
            return values;
        }
    }

    private static string NameOf(string id) => id[(id.TrimEnd('/').LastIndexOf('/') + 1)..];
}
