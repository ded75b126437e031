using System.Text.Json.Nodes;

namespace CloudInventory.Simulator.World;

public sealed partial class SimulatedWorld
{
    internal sealed record EcsCluster(string Name, string Arn, DateOnly Born, string Key);

    internal sealed record EcsService(EcsCluster Cluster, string Name, string Arn, int Desired, DateOnly Born, string Key);

    internal sealed record EcsTask(EcsService Service, string Arn, string LastStatus, DateOnly Born, string Key);

    internal IReadOnlyList<EcsCluster> EcsClusters(string account, string region, DateOnly date)
    {
        var key = Key(account, region, "ecs-cluster");
        return Population.Alive(key, Count(key, 2), 0.005, date).Select(m =>
        {
            var name = $"{s_applications[m.Index % s_applications.Length]}-{s_environments[StableHash.Range($"{key}/{m.Index}/env", 0, 3)]}";
            return new EcsCluster(name, $"arn:aws:ecs:{region}:{account}:cluster/{name}", m.Born, $"{key}/{m.Index}");
        }).ToList();
    }

    internal IReadOnlyList<EcsService> EcsServices(string account, string region, DateOnly date) =>
        EcsClusters(account, region, date).SelectMany(c => Population.Alive(c.Key + "/service", Count(c.Key + "/service", 3), 0.01, date).Select(m =>
        {
            var name = $"svc-{StableHash.Hex($"{c.Key}/service/{m.Index}", 6)}";
            return new EcsService(c, name, $"arn:aws:ecs:{region}:{account}:service/{c.Name}/{name}", 1 + StableHash.Range($"{c.Key}/service/{m.Index}/n", 0, 3), m.Born, $"{c.Key}/service/{m.Index}");
        })).ToList();

    internal IReadOnlyList<EcsTask> EcsTasks(string account, string region, DateOnly date) =>
        EcsServices(account, region, date).SelectMany(s => Enumerable.Range(0, s.Desired).Select(i =>
        {
            // Tasks are replaced every few days, as deployments roll.
            var generation = (date.DayNumber - s.Born.DayNumber) / (3 + StableHash.Range(s.Key + "/deploy", 0, 5));
            var key = $"{s.Key}/task/{i}/{generation}";
            return new EcsTask(s, $"arn:aws:ecs:{region}:{account}:task/{s.Cluster.Name}/{StableHash.Hex(key, 32)}", "RUNNING", date, key);
        })).ToList();

    private JsonObject? HandleEcs(WorldRequest r)
    {
        var (a, region, d) = (r.AccountId, r.Region, r.Date);
        var clusterInput = r.String("cluster");
        EcsCluster? FindCluster(string? nameOrArn) =>
            EcsClusters(a, region, d).FirstOrDefault(c => nameOrArn is null ? c.Name == "default" : c.Name == nameOrArn || c.Arn == nameOrArn);
        switch (r.Operation.Name)
        {
            case "ListClusters":
                return new JsonObject { ["clusterArns"] = new JsonArray(EcsClusters(a, region, d).Select(c => (JsonNode)c.Arn).ToArray()) };
            case "DescribeClusters":
                var wanted = r.Strings("clusters");
                var clusters = EcsClusters(a, region, d).Where(c => wanted is null ? c.Name == "default" : wanted.Contains(c.Name) || wanted.Contains(c.Arn)).ToList();
                return new JsonObject
                {
                    ["clusters"] = new JsonArray(clusters.Select(c =>
                    {
                        var item = r.NewItem("clusters", c.Key);
                        item["clusterName"] = c.Name;
                        item["clusterArn"] = c.Arn;
                        item["status"] = "ACTIVE";
                        item["activeServicesCount"] = EcsServices(a, region, d).Count(s => s.Cluster == c);
                        item["runningTasksCount"] = EcsTasks(a, region, d).Count(t => t.Service.Cluster == c);
                        item["tags"] = TagList(Tags(c.Key, c.Born, d), "key", "value");
                        return (JsonNode)item;
                    }).ToArray()),
                    ["failures"] = new JsonArray(),
                };
            case "ListServices":
                var cluster = FindCluster(clusterInput) ?? throw new SimulatedError(400, "ClusterNotFoundException", "Cluster not found.");
                return new JsonObject { ["serviceArns"] = new JsonArray(EcsServices(a, region, d).Where(s => s.Cluster == cluster).Select(s => (JsonNode)s.Arn).ToArray()) };
            case "DescribeServices":
                var c2 = FindCluster(clusterInput) ?? throw new SimulatedError(400, "ClusterNotFoundException", "Cluster not found.");
                var names = r.Strings("services") ?? [];
                return new JsonObject
                {
                    ["services"] = new JsonArray(EcsServices(a, region, d).Where(s => s.Cluster == c2 && (names.Contains(s.Name) || names.Contains(s.Arn))).Select(s =>
                    {
                        var item = r.NewItem("services", s.Key);
                        item["serviceName"] = s.Name;
                        item["serviceArn"] = s.Arn;
                        item["clusterArn"] = c2.Arn;
                        item["status"] = "ACTIVE";
                        item["desiredCount"] = s.Desired;
                        item["runningCount"] = s.Desired;
                        item["launchType"] = "FARGATE";
                        item["createdAt"] = At(s.Born, s.Key);
                        item["tags"] = TagList(Tags(s.Key, s.Born, d), "key", "value");
                        return (JsonNode)item;
                    }).ToArray()),
                    ["failures"] = new JsonArray(),
                };
            case "ListTasks":
                var c3 = FindCluster(clusterInput) ?? throw new SimulatedError(400, "ClusterNotFoundException", "Cluster not found.");
                var serviceName = r.String("serviceName");
                return new JsonObject
                {
                    ["taskArns"] = new JsonArray(EcsTasks(a, region, d).Where(t => t.Service.Cluster == c3 && (serviceName is null || t.Service.Name == serviceName))
                        .Select(t => (JsonNode)t.Arn).ToArray()),
                };
            case "DescribeTasks":
                var c4 = FindCluster(clusterInput) ?? throw new SimulatedError(400, "ClusterNotFoundException", "Cluster not found.");
                var arns = r.Strings("tasks") ?? [];
                return new JsonObject
                {
                    ["tasks"] = new JsonArray(EcsTasks(a, region, d).Where(t => t.Service.Cluster == c4 && arns.Contains(t.Arn)).Select(t =>
                    {
                        var item = r.NewItem("tasks", t.Key);
                        item["taskArn"] = t.Arn;
                        item["clusterArn"] = c4.Arn;
                        item["group"] = "service:" + t.Service.Name;
                        item["lastStatus"] = t.LastStatus;
                        item["desiredStatus"] = "RUNNING";
                        item["launchType"] = "FARGATE";
                        item["tags"] = TagList(Tags(t.Service.Key, t.Service.Born, d), "key", "value");
                        return (JsonNode)item;
                    }).ToArray()),
                    ["failures"] = new JsonArray(),
                };
        }
        return null;
    }
}
