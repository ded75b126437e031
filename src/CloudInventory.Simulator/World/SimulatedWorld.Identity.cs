using System.Text.Json.Nodes;

namespace CloudInventory.Simulator.World;

public sealed partial class SimulatedWorld
{
    private JsonObject? HandleSts(WorldRequest r)
    {
        switch (r.Operation.Name)
        {
            case "GetCallerIdentity":
                return new JsonObject
                {
                    ["UserId"] = "AIDA" + StableHash.Hex($"{Seed}/{r.AccountId}/user", 16).ToUpperInvariant(),
                    ["Account"] = r.AccountId,
                    ["Arn"] = $"arn:aws:iam::{r.AccountId}:user/inventory",
                };
            case "AssumeRole":
                var roleArn = r.String("RoleArn") ?? throw new SimulatedError(400, "ValidationError", "1 validation error detected: Value null at 'roleArn' failed to satisfy constraint: Member must not be null");
                var parts = roleArn.Split(':');
                var target = parts.Length >= 6 ? FindAccount(parts[4]) : null;
                if (target is null || target.Status != "ACTIVE" || !parts[5].StartsWith("role/", StringComparison.Ordinal))
                    throw new SimulatedError(403, "AccessDenied", $"User: arn:aws:iam::{r.AccountId}:user/inventory is not authorized to perform: sts:AssumeRole on resource: {roleArn}");
                var key = SimulatedCredentials.SessionKeyFor(target.Id);
                var session = r.String("RoleSessionName") ?? "session";
                return new JsonObject
                {
                    ["Credentials"] = new JsonObject
                    {
                        ["AccessKeyId"] = key,
                        ["SecretAccessKey"] = SimulatedCredentials.SecretFor(key, Seed),
                        ["SessionToken"] = "simulated-session-" + StableHash.Hex(roleArn, 24),
                        ["Expiration"] = new DateTimeOffset(r.Date.AddYears(1).ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc)),
                    },
                    ["AssumedRoleUser"] = new JsonObject
                    {
                        ["AssumedRoleId"] = "AROA" + StableHash.Hex(roleArn, 16).ToUpperInvariant() + ":" + session,
                        ["Arn"] = $"arn:aws:sts::{target.Id}:assumed-role/{parts[5]["role/".Length..]}/{session}",
                    },
                };
        }
        return null;
    }

    private JsonObject? HandleOrganizations(WorldRequest r)
    {
        if (r.Operation.Name is not ("DescribeOrganization" or "ListAccounts" or "ListRoots" or "ListOrganizationalUnitsForParent" or "ListAccountsForParent"))
            return null;
        if (r.AccountId != ManagementAccount.Id && r.Operation.Name != "DescribeOrganization")
            throw new SimulatedError(400, "AccessDeniedException", "You don't have permissions to access this resource.");
        var orgArn = $"arn:aws:organizations::{ManagementAccount.Id}:organization/{OrganizationId}";
        JsonObject Account(SimulatedAccount a) => new()
        {
            ["Id"] = a.Id,
            ["Arn"] = $"arn:aws:organizations::{ManagementAccount.Id}:account/{OrganizationId}/{a.Id}",
            ["Email"] = a.Email,
            ["Name"] = a.Name,
            ["Status"] = a.Status,
            ["JoinedMethod"] = a == ManagementAccount ? "CREATED" : "INVITED",
            ["JoinedTimestamp"] = a.Joined,
        };
        switch (r.Operation.Name)
        {
            case "DescribeOrganization":
                return new JsonObject
                {
                    ["Organization"] = new JsonObject
                    {
                        ["Id"] = OrganizationId,
                        ["Arn"] = orgArn,
                        ["FeatureSet"] = "ALL",
                        ["MasterAccountArn"] = $"arn:aws:organizations::{ManagementAccount.Id}:account/{OrganizationId}/{ManagementAccount.Id}",
                        ["MasterAccountId"] = ManagementAccount.Id,
                        ["MasterAccountEmail"] = ManagementAccount.Email,
                    },
                };
            case "ListAccounts":
                return new JsonObject { ["Accounts"] = new JsonArray(Accounts.Select(a => (JsonNode)Account(a)).ToArray()) };
            case "ListRoots":
                return new JsonObject
                {
                    ["Roots"] = new JsonArray(new JsonObject { ["Id"] = RootId, ["Arn"] = $"arn:aws:organizations::{ManagementAccount.Id}:root/{OrganizationId}/{RootId}", ["Name"] = "Root" }),
                };
            case "ListOrganizationalUnitsForParent":
                var parent = r.String("ParentId");
                var ous = parent == RootId ? s_ous.Select(n => (JsonNode)new JsonObject
                {
                    ["Id"] = OuId(n),
                    ["Arn"] = $"arn:aws:organizations::{ManagementAccount.Id}:ou/{OrganizationId}/{OuId(n)}",
                    ["Name"] = n,
                }).ToArray() : parent is not null && s_ous.Any(n => OuId(n) == parent) ? [] : throw new SimulatedError(400, "ParentNotFoundException", "We can't find a root or OU with the ParentId that you specified.");
                return new JsonObject { ["OrganizationalUnits"] = new JsonArray(ous) };
            default:
                var parentId = r.String("ParentId");
                if (parentId != RootId && !s_ous.Any(n => OuId(n) == parentId))
                    throw new SimulatedError(400, "ParentNotFoundException", "We can't find a root or OU with the ParentId that you specified.");
                return new JsonObject
                {
                    ["Accounts"] = new JsonArray(Accounts.Where(a => (a.OrganizationalUnitId ?? RootId) == parentId).Select(a => (JsonNode)Account(a)).ToArray()),
                };
        }
    }
}
