using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;

namespace CloudInventory.Simulator.World;

public sealed partial class SimulatedWorld
{
    internal sealed record Role(string Name, string Arn, string Id, DateOnly Born, string Key);

    /// <summary>The account's IAM roles (global): a role per application and a few service roles.</summary>
    internal IReadOnlyList<Role> Roles(string account, DateOnly date)
    {
        var key = Key(account, "global", "iam-role");
        return Population.Alive(key, Count(key, 6), 0.005, date).Select(m =>
        {
            var name = m.Index < s_applications.Length ? $"{s_applications[m.Index]}-service-role" : $"role-{StableHash.Hex($"{key}/{m.Index}", 6)}";
            return new Role(name, $"arn:aws:iam::{account}:role/{name}", "AROA" + StableHash.Hex($"{key}/{m.Index}", 16).ToUpperInvariant(), m.Born, $"{key}/{m.Index}");
        }).ToList();
    }

    private WorldOutput? HandleIam(WorldRequest r)
    {
        switch (r.Operation.Name)
        {
            case "ListRoles":
                return List(r, "Roles", Roles(r.AccountId, r.Date), role =>
                {
                    var item = r.NewItem("Roles", role.Key);
                    item["RoleName"] = role.Name;
                    item["Arn"] = role.Arn;
                    item["RoleId"] = role.Id;
                    item["Path"] = "/";
                    item["CreateDate"] = At(role.Born, role.Key);
                    item["AssumeRolePolicyDocument"] = WebUtility.UrlEncode(
                        "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"Service\":\"lambda.amazonaws.com\"},\"Action\":\"sts:AssumeRole\"}]}");
                    item["MaxSessionDuration"] = 3600;
                    return item;
                });
            case "ListRoleTags":
                var role = Roles(r.AccountId, r.Date).FirstOrDefault(x => x.Name == r.String("RoleName"))
                    ?? throw new SimulatedError(404, "NoSuchEntity", $"The role with name {r.String("RoleName")} cannot be found.");
                return new JsonObject { ["Tags"] = TagList(Tags(role.Key, role.Born, r.Date)), ["IsTruncated"] = false };
        }
        return null;
    }

    private WorldOutput? HandleLambda(WorldRequest r)
    {
        if (r.Operation.Name != "ListFunctions") return null;
        var roles = Roles(r.AccountId, r.Date);
        var subnets = Subnets(r.AccountId, r.Region, r.Date).Where(s => s.Layer == "private").ToList();
        var key = Key(r.AccountId, r.Region, "lambda");
        return List(r, "Functions", Population.Alive(key, Count(key, 5), 0.02, r.Date).ToList(), m =>
        {
            var fkey = $"{key}/{m.Index}";
            var app = s_applications[StableHash.Range(fkey + "/app", 0, s_applications.Length)];
            var name = $"{app}-{StableHash.Hex(fkey, 6)}";
            var item = r.NewItem("Functions", fkey);
            item["FunctionName"] = name;
            item["FunctionArn"] = $"arn:aws:lambda:{r.Region}:{r.AccountId}:function:{name}";
            item["Runtime"] = new[] { "python3.12", "nodejs20.x", "java21", "dotnet8" }[StableHash.Range(fkey + "/rt", 0, 4)];
            item["Role"] = roles.Count > 0 ? roles[StableHash.Range(fkey + "/role", 0, roles.Count)].Arn : null;
            item["MemorySize"] = 128 << StableHash.Range(fkey + "/mem", 0, 4);
            item["Timeout"] = 30;
            item["LastModified"] = At(m.Born, fkey).ToString("yyyy-MM-dd'T'HH:mm:ss.fff+0000", CultureInfo.InvariantCulture);
            if (subnets.Count > 0 && StableHash.Unit(fkey + "/vpc") < 0.5)
            {
                var subnet = subnets[StableHash.Range(fkey + "/subnet", 0, subnets.Count)];
                item["VpcConfig"] = new JsonObject
                {
                    ["SubnetIds"] = new JsonArray(subnet.Id), ["SecurityGroupIds"] = new JsonArray(),
                    ["VpcId"] = subnet.VpcId,
                };
            }
            else
            {
                item.Remove("VpcConfig");
            }
            return item;
        });
    }

    private WorldOutput? HandleRds(WorldRequest r)
    {
        if (r.Operation.Name != "DescribeDBInstances") return null;
        var subnets = Subnets(r.AccountId, r.Region, r.Date).Where(s => s.Layer == "private").ToList();
        if (subnets.Count == 0) return new JsonObject { ["DBInstances"] = new JsonArray() };
        var key = Key(r.AccountId, r.Region, "rds");
        return List(r, "DBInstances", Population.Alive(key, Count(key, 2), 0.005, r.Date).ToList(), m =>
        {
            var dkey = $"{key}/{m.Index}";
            var subnet = subnets[StableHash.Range(dkey + "/subnet", 0, subnets.Count)];
            var name = $"{s_applications[StableHash.Range(dkey + "/app", 0, s_applications.Length)]}-db-{m.Index}";
            var item = r.NewItem("DBInstances", dkey);
            item["DBInstanceIdentifier"] = name;
            item["DBInstanceArn"] = $"arn:aws:rds:{r.Region}:{r.AccountId}:db:{name}";
            item["DBInstanceClass"] = new[] { "db.t3.medium", "db.r6g.large", "db.m6i.large" }[Population.Phase(dkey + "/class", m.Born, r.Date, 150, 3)];
            item["Engine"] = StableHash.Unit(dkey + "/engine") < 0.5 ? "postgres" : "mysql";
            item["DBInstanceStatus"] = "available";
            item["MultiAZ"] = StableHash.Unit(dkey + "/az") < 0.5;
            item["AvailabilityZone"] = subnet.AvailabilityZone;
            item["InstanceCreateTime"] = At(m.Born, dkey);
            item["StorageEncrypted"] = true;
            item["DBSubnetGroup"] = new JsonObject
            {
                ["DBSubnetGroupName"] = $"{name}-subnets",
                ["VpcId"] = subnet.VpcId,
                ["SubnetGroupStatus"] = "Complete",
                ["Subnets"] = new JsonArray(subnets.Where(s => s.VpcId == subnet.VpcId).Select(s => (JsonNode)new JsonObject
                {
                    ["SubnetIdentifier"] = s.Id, ["SubnetStatus"] = "Active", ["SubnetAvailabilityZone"] = new JsonObject { ["Name"] = s.AvailabilityZone },
                }).ToArray()),
            };
            item["TagList"] = TagList(Tags(dkey, m.Born, r.Date));
            return item;
        });
    }
}
