using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using CloudInventory.Azure;
using CloudInventory.Simulator.World;

namespace CloudInventory.Simulator.Azure;

/// <summary>Answers one request of the simulated Azure: routing, authentication, quota, faults and paging.</summary>
internal sealed class SimulatedAzureResponder(SimulatedAzureOptions options, SimulatedAzureWorld world)
{
    /// <summary>An answer to write.</summary>
    internal sealed record Answer(int Status, byte[] Body, IReadOnlyList<(string Name, string Value)> Headers, string ContentType = "application/json; charset=utf-8", bool CutShort = false);

    private const string TokenPrefix = "simtoken.";
    private readonly Lock _gate = new();
    private readonly Dictionary<string, (DateTimeOffset Start, int Used)> _quota = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<JsonObject>> _listings = new(StringComparer.Ordinal);
    private readonly Queue<string> _listingOrder = new();
    private long _requests;
    private long _quotaExceeded;
    private long _throttled;

    public SimulatedAzureWorld World => world;

    public DateOnly Date { get; set; }

    public Uri Endpoint { get; set; } = new("https://127.0.0.1");

    public long RequestCount => Interlocked.Read(ref _requests);

    public long QuotaExceeded => Interlocked.Read(ref _quotaExceeded);

    public long Throttled => Interlocked.Read(ref _throttled);

    public Answer Respond(string method, string target, IReadOnlyDictionary<string, string> headers, byte[] body)
    {
        Interlocked.Increment(ref _requests);
        var q = target.IndexOf('?', StringComparison.Ordinal);
        var path = Uri.UnescapeDataString(q < 0 ? target : target[..q]);
        var query = ParseQuery(q < 0 ? "" : target[(q + 1)..]);
        var segments = path.Trim('/').Split('/');

        if (method == "POST" && segments.Length == 4 && segments[1] == "oauth2" && segments[2] == "v2.0" && segments[3] == "token")
        {
            return Token(segments[0], body);
        }
        if (method == "GET" && segments.Length == 4 && segments[1] == "v2.0" && segments[2] == ".well-known" && segments[3] == "openid-configuration")
        {
            return OpenIdConfiguration(segments[0]);
        }
        if (!Authenticated(headers))
        {
            var challenge = Error(401, "AuthenticationFailed", "Authentication failed. The 'Authorization' header is missing or carries no valid bearer token.");
            return challenge with { Headers = [("WWW-Authenticate", $"Bearer authorization_uri=\"{Endpoint}{world.TenantId}\", error=\"invalid_token\"")] };
        }
        if (options.ErrorRate > 0 && Random.Shared.NextDouble() < options.ErrorRate)
        {
            return Random.Shared.Next(2) == 0
                ? Error(500, "InternalServerError", "Encountered internal server error.")
                : Error(503, "ServiceUnavailable", "The service is temporarily unavailable.");
        }
        var answer = Route(method, path, segments, query, headers, body);
        if (answer.Status == 200 && options.TruncateRate > 0 && Random.Shared.NextDouble() < options.TruncateRate)
        {
            answer = answer with { CutShort = true };
        }
        return answer;
    }

    private Answer Route(string method, string path, string[] segments, Dictionary<string, string> query, IReadOnlyDictionary<string, string> headers, byte[] body)
    {
        var lower = path.ToLowerInvariant().TrimEnd('/');
        query.TryGetValue("api-version", out var apiVersion);
        if (method == "POST" && lower == "/providers/microsoft.resourcegraph/resources")
        {
            return apiVersion == AzureClient.ResourceGraphApiVersion ? ResourceGraph(headers, body) : BadApiVersion(apiVersion, "Microsoft.ResourceGraph/resources");
        }
        if (method != "GET") return Error(405, "MethodNotAllowed", $"The requested method {method} is not allowed on {path}.");
        if (lower == "/subscriptions")
        {
            if (apiVersion is null) return BadApiVersion(apiVersion, "subscriptions");
            return Paged(world.Subscriptions.Select(s => (JsonNode)SubscriptionJson(s)).ToList(), query, "/subscriptions?api-version=" + apiVersion);
        }
        if (segments.Length == 2 && lower.StartsWith("/subscriptions/", StringComparison.Ordinal))
        {
            if (apiVersion is null) return BadApiVersion(apiVersion, "subscriptions");
            return world.Subscription(segments[1]) is { } s
                ? Json(200, SubscriptionJson(s))
                : Error(404, "SubscriptionNotFound", $"The subscription '{segments[1]}' could not be found.");
        }
        if (lower.StartsWith("/providers/microsoft.management/managementgroups", StringComparison.Ordinal) && !options.ManagementGroupsReadable)
        {
            return Error(403, "AuthorizationFailed", $"The client '{world.ClientId}' does not have authorization to perform action 'Microsoft.Management/managementGroups/read' over scope '{path}'.");
        }
        if (segments.Length == 4 && lower.StartsWith("/providers/microsoft.management/managementgroups/", StringComparison.Ordinal))
        {
            if (apiVersion is null) return BadApiVersion(apiVersion, "managementGroups");
            var group = world.ManagementGroups.FirstOrDefault(g => string.Equals(g.Name, segments[3], StringComparison.OrdinalIgnoreCase));
            if (group is null) return Error(404, "NotFound", $"'{segments[3]}' not found");
            return Json(200, ManagementGroupJson(group, query.TryGetValue("$expand", out var expand) ? expand : null));
        }
        if (lower == "/providers/microsoft.management/managementgroups")
        {
            if (apiVersion is null) return BadApiVersion(apiVersion, "managementGroups");
            var groups = world.ManagementGroups.Select(g => (JsonNode)new JsonObject
            {
                ["id"] = g.Id, ["type"] = "Microsoft.Management/managementGroups", ["name"] = g.Name,
                ["properties"] = new JsonObject { ["tenantId"] = world.TenantId, ["displayName"] = g.DisplayName },
            }).ToList();
            return Paged(groups, query, "/providers/Microsoft.Management/managementGroups?api-version=" + apiVersion);
        }
        if (segments.Length == 5 && lower.StartsWith("/providers/microsoft.management/managementgroups/", StringComparison.Ordinal) && segments[4].Equals("descendants", StringComparison.OrdinalIgnoreCase))
        {
            if (apiVersion is null) return BadApiVersion(apiVersion, "managementGroups/descendants");
            var group = world.ManagementGroups.FirstOrDefault(g => string.Equals(g.Name, segments[3], StringComparison.OrdinalIgnoreCase));
            if (group is null) return Error(404, "NotFound", $"'{segments[3]}' not found");
            return Paged(Descendants(group).ToList(), query, $"/providers/Microsoft.Management/managementGroups/{group.Name}/descendants?api-version={apiVersion}");
        }
        return Error(404, "InvalidResourceType", $"The resource type could not be found for path '{path}'.");
    }

    // A management group as ManagementGroups_Get answers: details.parent, and with $expand=ancestors the names above it
    // (immediate parent first), with $expand=path the groups from the root down to it.
    private JsonObject ManagementGroupJson(SimulatedManagementGroup group, string? expand)
    {
        var properties = new JsonObject { ["tenantId"] = world.TenantId, ["displayName"] = group.DisplayName };
        var details = new JsonObject { ["version"] = 1, ["updatedTime"] = "2025-11-03T09:00:00Z", ["updatedBy"] = world.ClientId };
        var parent = world.ManagementGroups.FirstOrDefault(g => g.Name == group.Parent);
        if (parent is not null) details["parent"] = new JsonObject { ["id"] = parent.Id, ["name"] = parent.Name, ["displayName"] = parent.DisplayName };
        properties["details"] = details;
        var above = new List<SimulatedManagementGroup>();
        for (var g = parent; g is not null; g = world.ManagementGroups.FirstOrDefault(m => m.Name == g.Parent)) above.Add(g);
        if (string.Equals(expand, "ancestors", StringComparison.OrdinalIgnoreCase))
        {
            properties["ancestors"] = new JsonArray(above.Select(a => (JsonNode)new JsonObject { ["name"] = a.Name, ["displayName"] = a.DisplayName }).ToArray());
        }
        else if (string.Equals(expand, "path", StringComparison.OrdinalIgnoreCase))
        {
            properties["path"] = new JsonArray(above.AsEnumerable().Reverse().Append(group).Select(a => (JsonNode)new JsonObject { ["name"] = a.Name, ["displayName"] = a.DisplayName }).ToArray());
        }
        return new JsonObject { ["id"] = group.Id, ["type"] = "Microsoft.Management/managementGroups", ["name"] = group.Name, ["properties"] = properties };
    }

    private IEnumerable<JsonNode> Descendants(SimulatedManagementGroup root)
    {
        foreach (var child in world.ManagementGroups.Where(g => g.Parent == root.Name))
        {
            yield return new JsonObject
            {
                ["id"] = child.Id, ["type"] = "Microsoft.Management/managementGroups", ["name"] = child.Name,
                ["properties"] = new JsonObject { ["displayName"] = child.DisplayName, ["parent"] = new JsonObject { ["id"] = root.Id } },
            };
            foreach (var d in Descendants(child)) yield return d;
        }
        foreach (var s in world.Subscriptions.Where(s => s.ManagementGroup == root.Name))
        {
            yield return new JsonObject
            {
                ["id"] = "/subscriptions/" + s.Id, ["type"] = "/subscriptions", ["name"] = s.Id,
                ["properties"] = new JsonObject { ["displayName"] = s.DisplayName, ["parent"] = new JsonObject { ["id"] = root.Id } },
            };
        }
    }

    private JsonObject SubscriptionJson(SimulatedAzureSubscription s) => new()
    {
        ["id"] = "/subscriptions/" + s.Id,
        ["authorizationSource"] = "RoleBased",
        ["managedByTenants"] = new JsonArray(),
        ["subscriptionId"] = s.Id,
        ["tenantId"] = world.TenantId,
        ["displayName"] = s.DisplayName,
        ["state"] = s.State,
        ["subscriptionPolicies"] = new JsonObject
        {
            ["locationPlacementId"] = "Public_2014-09-01", ["quotaId"] = "EnterpriseAgreement_2014-09-01", ["spendingLimit"] = "Off",
        },
        ["tags"] = new JsonObject(),
    };

    private Answer Paged(List<JsonNode> items, Dictionary<string, string> query, string selfPath)
    {
        var offset = query.TryGetValue("$skiptoken", out var token) && int.TryParse(token, NumberStyles.None, CultureInfo.InvariantCulture, out var o) ? o : 0;
        var size = Math.Max(1, options.ListPageSize);
        var page = new JsonArray(items.Skip(offset).Take(size).Select(i => i.DeepClone()).ToArray());
        var result = new JsonObject { ["value"] = page };
        if (offset + size < items.Count)
        {
            result["nextLink"] = $"{Endpoint.GetLeftPart(UriPartial.Authority)}{selfPath}&$skiptoken={offset + size}";
        }
        return Json(200, result);
    }

    private Answer ResourceGraph(IReadOnlyDictionary<string, string> headers, byte[] body)
    {
        var user = headers.GetValueOrDefault("Authorization") ?? "";
        var (remaining, resetsAfter, allowed) = TakeQuota(user);
        (string, string)[] quotaHeaders =
        [
            ("x-ms-user-quota-remaining", Math.Max(0, remaining).ToString(CultureInfo.InvariantCulture)),
            ("x-ms-user-quota-resets-after", resetsAfter.ToString("c", CultureInfo.InvariantCulture)),
        ];
        if (!allowed || (options.ThrottleRate > 0 && Random.Shared.NextDouble() < options.ThrottleRate))
        {
            if (!allowed) Interlocked.Increment(ref _quotaExceeded);
            Interlocked.Increment(ref _throttled);
            var throttled = Error(429, "RateLimiting", "Please provide below info when asking for support: the request was throttled; the user quota of the current window is spent.");
            return throttled with { Headers = [("x-ms-user-quota-remaining", "0"), quotaHeaders[1]] };
        }
        JsonObject request;
        try
        {
            request = JsonNode.Parse(body) as JsonObject ?? throw new JsonException("not an object");
        }
        catch (JsonException)
        {
            return InvalidQuery("The request body is not a JSON object.");
        }
        var text = request["query"]?.GetValueKind() == JsonValueKind.String ? (string)request["query"]! : null;
        if (text is null) return InvalidQuery("The request has no 'query'.");
        if (ResourceGraphQuery.Parse(text) is not { } parsed)
        {
            return InvalidQuery($"The simulator answers only '<resources|resourcecontainers|authorizationresources|policyresources> [| where type =~ '<type>'] | order by id asc'; got '{text}'.");
        }
        var subscriptions = (request["subscriptions"] as JsonArray)?.Select(s => s?.GetValue<string>() ?? "").ToList() ?? [];
        var reqOptions = request["options"] as JsonObject;
        var top = reqOptions?["$top"] is JsonValue t && t.TryGetValue<int>(out var tv) ? tv : 100;
        if (top is < 1 or > 1000) return InvalidQuery("$top must be between 1 and 1000.");
        var format = reqOptions?["resultFormat"] is JsonValue f && f.TryGetValue<string>(out var fv) ? fv : "objectArray";
        if (format != "objectArray") return InvalidQuery("The simulator answers resultFormat objectArray only.");
        var date = Date;
        var rows = Listing(parsed, subscriptions, date, out var listingKey);
        var offset = 0;
        if (reqOptions?["$skipToken"] is JsonValue st && st.TryGetValue<string>(out var token))
        {
            if (!TryReadSkipToken(token, listingKey, out offset)) return InvalidQuery("The $skipToken is not valid for this query and scope.");
        }
        var take = Math.Min(top, Math.Max(0, rows.Count - offset));
        var shortPage = take > 1 && options.ShortPageRate > 0 && Random.Shared.NextDouble() < options.ShortPageRate;
        if (shortPage) take /= 2;
        var next = offset + take;
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteNumber("totalRecords", rows.Count);
            writer.WriteNumber("count", take);
            writer.WriteString("resultTruncated", shortPage ? "true" : "false");
            if (next < rows.Count) writer.WriteString("$skipToken", SkipToken(next, listingKey));
            writer.WriteStartArray("facets");
            writer.WriteEndArray();
            writer.WriteStartArray("data");
            for (var i = offset; i < next; i++) rows[i].WriteTo(writer);
            writer.WriteEndArray();
            writer.WriteEndObject();
        }
        return new Answer(200, buffer.ToArray(), quotaHeaders);
    }

    private List<JsonObject> Listing(ResourceGraphQuery query, List<string> subscriptions, DateOnly date, out string key)
    {
        var readable = subscriptions.Select(world.Subscription).Where(s => s is { State: "Enabled" }).Select(s => s!).Distinct().OrderBy(s => s.Id, StringComparer.Ordinal).ToList();
        key = $"{query.Text}|{date:yyyy-MM-dd}|{string.Join(',', readable.Select(s => s.Id))}";
        lock (_gate)
        {
            if (_listings.TryGetValue(key, out var cached)) return cached;
        }
        var rows = readable.SelectMany(s => query.Table switch
            {
                "resources" => world.Resources(s, date),
                "resourcecontainers" => world.ResourceContainers(s, date),
                "authorizationresources" => world.AuthorizationResources(s, date),
                _ => world.PolicyResources(s, date),
            })
            .Where(r => query.Type is null || string.Equals((string?)r["type"], query.Type, StringComparison.OrdinalIgnoreCase))
            .OrderBy(r => (string)r["id"]!, StringComparer.OrdinalIgnoreCase)
            .ToList();
        lock (_gate)
        {
            if (_listings.TryAdd(key, rows))
            {
                _listingOrder.Enqueue(key);
                while (_listingOrder.Count > 16) _listings.Remove(_listingOrder.Dequeue());
            }
        }
        return rows;
    }

    private static string SkipToken(int offset, string listingKey) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes($"{offset}:{StableHash.Hex(listingKey, 16)}"));

    private static bool TryReadSkipToken(string token, string listingKey, out int offset)
    {
        offset = 0;
        try
        {
            var text = Encoding.UTF8.GetString(Convert.FromBase64String(token));
            var colon = text.IndexOf(':', StringComparison.Ordinal);
            return colon > 0 && text[(colon + 1)..] == StableHash.Hex(listingKey, 16)
                && int.TryParse(text[..colon], NumberStyles.None, CultureInfo.InvariantCulture, out offset);
        }
        catch (FormatException)
        {
            return false;
        }
    }

    private (int Remaining, TimeSpan ResetsAfter, bool Allowed) TakeQuota(string user)
    {
        var now = DateTimeOffset.UtcNow;
        lock (_gate)
        {
            if (!_quota.TryGetValue(user, out var window) || now >= window.Start + options.QuotaWindow) window = (now, 0);
            window.Used++;
            _quota[user] = window;
            var resetsAfter = window.Start + options.QuotaWindow - now;
            return (options.QuotaPerWindow - window.Used, resetsAfter, window.Used <= options.QuotaPerWindow);
        }
    }

    private Answer Token(string tenant, byte[] body)
    {
        var form = ParseQuery(Encoding.UTF8.GetString(body).Replace('+', ' '));
        if (!string.Equals(tenant, world.TenantId, StringComparison.OrdinalIgnoreCase))
        {
            return AadError(400, "invalid_request", $"AADSTS90002: Tenant '{tenant}' not found.");
        }
        if (form.GetValueOrDefault("grant_type") != "client_credentials")
        {
            return AadError(400, "unsupported_grant_type", "AADSTS70003: The simulator supports the client_credentials grant only.");
        }
        if (form.GetValueOrDefault("client_id") != world.ClientId)
        {
            return AadError(400, "unauthorized_client", $"AADSTS700016: Application with identifier '{form.GetValueOrDefault("client_id")}' was not found in the directory.");
        }
        if (form.GetValueOrDefault("client_secret") != world.ClientSecret)
        {
            return AadError(401, "invalid_client", "AADSTS7000215: Invalid client secret provided.");
        }
        if (form.GetValueOrDefault("scope") is not { } scope || !scope.EndsWith("/.default", StringComparison.Ordinal))
        {
            return AadError(400, "invalid_scope", "AADSTS1002012: The provided value for scope is not valid.");
        }
        var token = TokenPrefix + StableHash.Hex($"{options.Seed}/{world.ClientId}/token", 40);
        return Json(200, new JsonObject
        {
            ["token_type"] = "Bearer",
            ["expires_in"] = 3599,
            ["ext_expires_in"] = 3599,
            ["access_token"] = token,
        });
    }

    private Answer OpenIdConfiguration(string tenant)
    {
        var root = Endpoint.GetLeftPart(UriPartial.Authority);
        return Json(200, new JsonObject
        {
            ["token_endpoint"] = $"{root}/{tenant}/oauth2/v2.0/token",
            ["authorization_endpoint"] = $"{root}/{tenant}/oauth2/v2.0/authorize",
            ["issuer"] = $"{root}/{tenant}/v2.0",
            ["jwks_uri"] = $"{root}/{tenant}/discovery/v2.0/keys",
            ["end_session_endpoint"] = $"{root}/{tenant}/oauth2/v2.0/logout",
            ["token_endpoint_auth_methods_supported"] = new JsonArray("client_secret_post"),
        });
    }

    private bool Authenticated(IReadOnlyDictionary<string, string> headers) =>
        headers.TryGetValue("Authorization", out var value)
        && value == "Bearer " + TokenPrefix + StableHash.Hex($"{options.Seed}/{world.ClientId}/token", 40);

    private static Answer BadApiVersion(string? apiVersion, string resource) => apiVersion is null
        ? Error(400, "MissingApiVersionParameter", "The api-version query parameter (?api-version=) is required for all requests.")
        : Error(400, "InvalidApiVersionParameter", $"The api-version '{apiVersion}' is invalid for '{resource}'.");

    private static Answer InvalidQuery(string detail) => Json(400, new JsonObject
    {
        ["error"] = new JsonObject
        {
            ["code"] = "BadRequest",
            ["message"] = "Please provide below info when asking for support: the query could not be evaluated.",
            ["details"] = new JsonArray(
                new JsonObject { ["code"] = "InvalidQuery", ["message"] = "Query is invalid. Please refer to the documentation for the Azure Resource Graph service and fix the error before retrying." },
                new JsonObject { ["code"] = "UnsupportedQuery", ["message"] = detail }),
        },
    });

    /// <summary>An answer in Resource Manager's error shape.</summary>
    internal static Answer Error(int status, string code, string message) =>
        Json(status, new JsonObject { ["error"] = new JsonObject { ["code"] = code, ["message"] = message } });

    private static Answer AadError(int status, string error, string description) => Json(status, new JsonObject
    {
        ["error"] = error,
        ["error_description"] = description,
        ["error_codes"] = new JsonArray(int.Parse(description[6..description.IndexOf(':', StringComparison.Ordinal)], CultureInfo.InvariantCulture)),
        ["timestamp"] = DateTime.UtcNow.ToString("yyyy-MM-dd HH:mm:ssZ", CultureInfo.InvariantCulture),
    });

    private static Answer Json(int status, JsonNode body) =>
        new(status, JsonSerializer.SerializeToUtf8Bytes(body), []);

    private static Dictionary<string, string> ParseQuery(string text)
    {
        var result = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var pair in text.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = pair.IndexOf('=', StringComparison.Ordinal);
            var name = Uri.UnescapeDataString(eq < 0 ? pair : pair[..eq]);
            result[name] = eq < 0 ? "" : Uri.UnescapeDataString(pair[(eq + 1)..]);
        }
        return result;
    }
}
