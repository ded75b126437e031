using System.Text.Json.Nodes;
using CloudInventory.Azure;
using CloudInventory.Catalog;
using CloudInventory.Collection.Internal;
using CloudInventory.Storage;

namespace CloudInventory.Collection.Azure;

/// <summary>
/// Collects <c>azure_subscriptions</c> from the subscription listing the session already read (<c>GET /subscriptions</c>):
/// one row per subscription in the run's scope, whatever its state, so a disabled subscription is seen there with its
/// state while its resources are skipped (and recorded as skipped). Each row's <c>account_id</c> is the subscription,
/// and the manifest has an entry per subscription, so the current views keep every one of them.
/// </summary>
internal static class AzureSubscriptionRows
{
    /// <summary>The resource type Resource Graph gives a subscription (lower case, as in <c>resourcecontainers</c>).</summary>
    private const string Type = "microsoft.resources/subscriptions";

    public static IReadOnlyList<RunManifestTable> Write(IReadOnlyList<AzureSubscription> subscriptions, WorkUnit unit, RunContext run)
    {
        var table = unit.Table;
        var buffer = new TableRowBuffer(table);
        foreach (var subscription in subscriptions) buffer.Append(Row(table, subscription, run.ReportTime));
        run.Writer.Append(table, buffer);
        return subscriptions.Select(s => new RunManifestTable(table.Name, s.SubscriptionId, "global", 1, TableRunStatus.Ok)).ToList();
    }

    // The columns from the listed object, by their source member; the id, name, type and system columns from what they mean.
    private static JsonNode?[] Row(Table table, AzureSubscription subscription, DateTimeOffset reportTime)
    {
        var raw = subscription.Raw.ValueKind == System.Text.Json.JsonValueKind.Object ? JsonNode.Parse(subscription.Raw.GetRawText()) as JsonObject : null;
        var values = new JsonNode?[table.Columns.Count];
        for (var i = 0; i < table.Columns.Count; i++)
        {
            var column = table.Columns[i];
            values[i] = column.Name switch
            {
                "id" => "/subscriptions/" + subscription.SubscriptionId,
                "subscription_id" or "account_id" => subscription.SubscriptionId,
                "name" or "display_name" => subscription.DisplayName,
                "type" => Type,
                "state" => subscription.State,
                "tenant_id" => subscription.TenantId,
                "location" => null,
                "region" => "global",
                "report_time" => JsonValue.Create(reportTime),
                _ => column.SourcePath is { } member && raw?[member] is { } value ? value.DeepClone() : null,
            };
        }
        return values;
    }
}
