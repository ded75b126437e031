using System.Globalization;
using System.Text.Json.Nodes;

namespace CloudInventory.Simulator.World;

/// <summary>
/// The simulated estate: an organisation of accounts, each with resources in each enabled region.
/// Everything is a pure function of (seed, date); resources appear, end and change day by day,
/// and references resolve (an instance's subnet and VPC exist, a task's cluster exists).
/// </summary>
public sealed partial class SimulatedWorld
{
    /// <summary>The opt-in region that DescribeRegions lists but that no account has enabled.</summary>
    public const string OptInRegion = "ap-east-1";

    private static readonly string[] s_applications = ["checkout", "catalog", "payments", "search", "identity", "analytics"];
    private static readonly string[] s_environments = ["production", "staging", "development"];
    private static readonly string[] s_owners = ["team-platform", "team-data", "team-web", "team-security"];
    private static readonly string[] s_costCenters = ["CC-1001", "CC-2002", "CC-3003"];
    private static readonly string[] s_ous = ["Production", "Development", "Sandbox"];

    internal SimulatedWorld(SimulatorOptions options)
    {
        Seed = options.Seed;
        Scale = options.Scale;
        Regions = options.Regions.ToArray();
        var accounts = new List<SimulatedAccount>();
        for (var i = 0; i < options.Accounts; i++)
        {
            var id = (100_000_000_000L + (long)(StableHash.Of($"{Seed}/account/{i}") % 800_000_000_000L)).ToString(CultureInfo.InvariantCulture);
            var name = i == 0 ? "management" : $"{s_ous[(i - 1) % s_ous.Length].ToLowerInvariant()}-{i}";
            var suspended = options.Accounts >= 3 && i == options.Accounts - 1;
            accounts.Add(new SimulatedAccount(id, name, $"aws+{name}@example.com", suspended ? "SUSPENDED" : "ACTIVE",
                i == 0 ? null : OuId(s_ous[(i - 1) % s_ous.Length]), new DateTimeOffset(2023, 1, 1, 0, 0, 0, TimeSpan.Zero).AddDays(i * 37)));
        }
        Accounts = accounts;
    }

    /// <summary>The world's seed.</summary>
    public long Seed { get; }

    /// <summary>The resource-count multiplier.</summary>
    public double Scale { get; }

    /// <summary>The organisation's accounts; the first is the management account.</summary>
    public IReadOnlyList<SimulatedAccount> Accounts { get; }

    /// <summary>The enabled regions.</summary>
    public IReadOnlyList<string> Regions { get; }

    /// <summary>The management account.</summary>
    public SimulatedAccount ManagementAccount => Accounts[0];

    /// <summary>The organisation id.</summary>
    public string OrganizationId => "o-" + StableHash.Hex($"{Seed}/org", 10);

    /// <summary>The organisation root id.</summary>
    public string RootId => "r-" + StableHash.Hex($"{Seed}/root", 4);

    /// <summary>The OU names, in order.</summary>
    public static IReadOnlyList<string> OrganizationalUnitNames => s_ous;

    /// <summary>The id of an OU by name.</summary>
    public string OuId(string name) => $"ou-{StableHash.Hex($"{Seed}/root", 4)}-{StableHash.Hex($"{Seed}/ou/{name}", 8)}";

    /// <summary>Finds an account by id; null when it is not in the organisation.</summary>
    public SimulatedAccount? FindAccount(string id) => Accounts.FirstOrDefault(a => a.Id == id);

    /// <summary>The standard tags of a resource: Application, Environment, Owner, CostCenter (Owner changes now and then).</summary>
    internal Dictionary<string, string> Tags(string key, DateOnly born, DateOnly date, string? name = null)
    {
        var tags = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["Application"] = s_applications[StableHash.Range(key + "/app", 0, s_applications.Length)],
            ["Environment"] = s_environments[StableHash.Range(key + "/env", 0, s_environments.Length)],
            ["Owner"] = s_owners[(StableHash.Range(key + "/owner", 0, s_owners.Length) + Population.Phase(key + "/owner", born, date, 120, s_owners.Length)) % s_owners.Length],
            ["CostCenter"] = s_costCenters[StableHash.Range(key + "/cc", 0, s_costCenters.Length)],
        };
        if (name is not null) tags["Name"] = name;
        return tags;
    }

    internal static JsonArray TagList(Dictionary<string, string> tags, string keyName = "Key", string valueName = "Value") =>
        new(tags.Select(t => (JsonNode)new JsonObject { [keyName] = t.Key, [valueName] = t.Value }).ToArray());

    internal int Count(string key, int baseCount) =>
        Math.Max(baseCount == 0 ? 0 : 1, (int)Math.Round(baseCount * Scale * (0.6 + 0.8 * StableHash.Unit(key + "/count"))));

    internal string Key(string account, string region, string kind) => $"{Seed}/{account}/{region}/{kind}";

    internal static DateTimeOffset At(DateOnly day, string key) =>
        new DateTimeOffset(day.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc)).AddSeconds(StableHash.Range(key + "/sec", 0, 86_400));
}
