using CloudInventory.Azure;
using CloudInventory.Text;

namespace CloudInventory.Collection.Azure;

/// <summary>
/// Resolves which subscriptions a run collects: every subscription the credential sees (<c>GET /subscriptions</c>), or
/// the ones named, or those below a management group (any depth), minus the excluded ones. Only Enabled subscriptions
/// are collected; the others are returned as skipped with the reason.
/// </summary>
internal static class AzureSubscriptionScope
{
    /// <summary>The error code recorded for a subscription that is not Enabled.</summary>
    public const string NotEnabledCode = "SubscriptionNotEnabled";

    /// <summary>The subscriptions to collect (sorted), and those skipped with why.</summary>
    /// <exception cref="CollectionException">A subscription or management group named is unknown.</exception>
    /// <exception cref="AzureApiException">A listing failed.</exception>
    public static async Task<(IReadOnlyList<AzureSubscription> Collected, IReadOnlyList<(AzureSubscription Subscription, string Reason)> Skipped)> ResolveAsync(
        AzureClient client, AzureCollectOptions options, CancellationToken cancellationToken)
    {
        var visible = new List<AzureSubscription>();
        await foreach (var s in client.ListSubscriptionsAsync(cancellationToken).ConfigureAwait(false)) visible.Add(s);
        var byId = new Dictionary<string, AzureSubscription>(StringComparer.OrdinalIgnoreCase);
        foreach (var s in visible) byId.TryAdd(s.SubscriptionId, s);

        IEnumerable<AzureSubscription> candidates = visible;
        if (options.ManagementGroup is { } group)
        {
            var below = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            try
            {
                await foreach (var d in client.ListManagementGroupDescendantsAsync(group, cancellationToken).ConfigureAwait(false))
                {
                    if (d.IsSubscription) below.Add(d.Name);
                }
            }
            catch (AzureApiException e) when (e.Status == 404)
            {
                throw new CollectionException($"management group '{group}' was not found (or the credential may not read it): {e.Message}. Give the group's id (its name, not its display name)", e);
            }
            candidates = candidates.Where(s => below.Contains(s.SubscriptionId));
        }
        if (options.Subscriptions.Count > 0)
        {
            Check(options.Subscriptions, byId, "--subscriptions");
            var named = options.Subscriptions.ToHashSet(StringComparer.OrdinalIgnoreCase);
            candidates = candidates.Where(s => named.Contains(s.SubscriptionId));
        }
        if (options.ExcludeSubscriptions.Count > 0)
        {
            Check(options.ExcludeSubscriptions, byId, "--exclude-subscriptions");
            var excluded = options.ExcludeSubscriptions.ToHashSet(StringComparer.OrdinalIgnoreCase);
            candidates = candidates.Where(s => !excluded.Contains(s.SubscriptionId));
        }
        var chosen = candidates.OrderBy(s => s.SubscriptionId, StringComparer.OrdinalIgnoreCase).ToList();
        var skipped = chosen.Where(s => !s.IsEnabled)
            .Select(s => (s, $"subscription {s.SubscriptionId} ({s.DisplayName}) is {s.State}; only Enabled subscriptions are collected")).ToList();
        return (chosen.Where(s => s.IsEnabled).ToList(), skipped);
    }

    private static void Check(IReadOnlyList<string> ids, Dictionary<string, AzureSubscription> visible, string option)
    {
        foreach (var id in ids)
        {
            if (visible.ContainsKey(id)) continue;
            var near = EditDistance.Closest(id, visible.Keys);
            throw new CollectionException($"{option}: subscription '{id}' is not visible to the Azure credential{(near is null ? "" : $" (did you mean '{near}'?)")}; " +
                $"it sees {(visible.Count == 0 ? "none" : string.Join(", ", visible.Keys.Order(StringComparer.OrdinalIgnoreCase)))}");
        }
    }
}
