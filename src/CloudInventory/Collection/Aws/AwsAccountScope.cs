using System.Text.Json.Nodes;
using CloudInventory.Aws.Client;
using static CloudInventory.Collection.Aws.AwsCloudProvider;

namespace CloudInventory.Collection.Aws;

/// <summary>Which accounts a run covers: the explicit ones, the caller's, or the organisation's active accounts (with OU filters walked from the roots).</summary>
internal static class AwsAccountScope
{
    public static async Task<IReadOnlyList<string>> ResolveAsync(CollectOptions options, AwsClient home, string caller, CancellationToken cancellationToken)
    {
        if (!options.Organization)
        {
            foreach (var a in options.Accounts)
            {
                if (a.Length != 12 || !a.All(char.IsAsciiDigit)) throw new CollectionException($"'{a}' is not an AWS account id (12 digits)");
            }
            return options.Accounts.Count == 0 ? [caller] : options.Accounts.Distinct().ToList();
        }
        try
        {
            var accounts = new List<(string Id, string Status)>();
            await foreach (var page in PagesAsync(home, "organizations", "ListAccounts", null, cancellationToken).ConfigureAwait(false))
            {
                foreach (var a in page?["Accounts"]?.AsArray() ?? []) accounts.Add((a!["Id"]!.GetValue<string>(), a["Status"]?.GetValue<string>() ?? "ACTIVE"));
            }
            IEnumerable<(string Id, string Status)> chosen = accounts;
            if (options.IncludeOrganizationalUnits.Count > 0 || options.ExcludeOrganizationalUnits.Count > 0)
            {
                var placement = await AccountsByOuAsync(home, cancellationToken).ConfigureAwait(false);
                bool Under(string account, IReadOnlyList<string> ous) => placement.TryGetValue(account, out var path) && path.Any(p => ous.Contains(p.Id) || ous.Contains(p.Name));
                if (options.IncludeOrganizationalUnits.Count > 0) chosen = chosen.Where(a => Under(a.Id, options.IncludeOrganizationalUnits));
                chosen = chosen.Where(a => !Under(a.Id, options.ExcludeOrganizationalUnits));
            }
            var active = chosen.Where(a => a.Status == "ACTIVE").Select(a => a.Id).ToList();
            if (options.Accounts.Count > 0) active = active.Where(options.Accounts.Contains).ToList();
            if (active.Count == 0) throw new CollectionException("the organisation has no active account matching the options");
            return active;
        }
        catch (AwsApiException e)
        {
            throw new CollectionException($"cannot list the organisation's accounts (run from the management account or a delegated administrator): {e.Message}", e);
        }
    }

    // For each account, the OUs above it (nearest first), found by walking the organisation from its roots.
    private static async Task<Dictionary<string, List<(string Id, string Name)>>> AccountsByOuAsync(AwsClient home, CancellationToken cancellationToken)
    {
        var result = new Dictionary<string, List<(string, string)>>(StringComparer.Ordinal);
        var roots = await CallAsync(home, "organizations", "ListRoots", null, cancellationToken).ConfigureAwait(false);
        var queue = new Queue<(string ParentId, List<(string, string)> Path)>();
        foreach (var root in roots?["Roots"]?.AsArray() ?? []) queue.Enqueue((root!["Id"]!.GetValue<string>(), []));
        while (queue.Count > 0)
        {
            var (parent, path) = queue.Dequeue();
            await foreach (var page in PagesAsync(home, "organizations", "ListAccountsForParent", new JsonObject { ["ParentId"] = parent }, cancellationToken).ConfigureAwait(false))
            {
                foreach (var a in page?["Accounts"]?.AsArray() ?? []) result[a!["Id"]!.GetValue<string>()] = path;
            }
            await foreach (var page in PagesAsync(home, "organizations", "ListOrganizationalUnitsForParent", new JsonObject { ["ParentId"] = parent }, cancellationToken).ConfigureAwait(false))
            {
                foreach (var ou in page?["OrganizationalUnits"]?.AsArray() ?? [])
                {
                    var id = ou!["Id"]!.GetValue<string>();
                    queue.Enqueue((id, [(id, ou["Name"]?.GetValue<string>() ?? id), .. path]));
                }
            }
        }
        return result;
    }
}
