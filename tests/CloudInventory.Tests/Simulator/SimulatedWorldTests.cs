using CloudInventory.Simulator;
using CloudInventory.Simulator.World;

namespace CloudInventory.Tests.Simulator;

public class SimulatedWorldTests
{
    private static SimulatedWorld World(long seed = 7) =>
        new(new SimulatorOptions { Seed = seed, Accounts = 5, Regions = ["us-east-1", "eu-west-1", "eu-central-1"] });

    [Fact]
    public void Organisation_has_one_suspended_account_and_distinct_ids()
    {
        var world = World();
        Assert.Equal(5, world.Accounts.Select(a => a.Id).Distinct().Count());
        Assert.Single(world.Accounts, a => a.Status == "SUSPENDED");
        Assert.All(world.Accounts, a => Assert.Matches("^[0-9]{12}$", a.Id));
    }

    [Fact]
    public void Same_seed_and_date_give_the_same_world_and_another_seed_another()
    {
        var day = new DateOnly(2026, 6, 1);
        var a = World(7);
        var b = World(7);
        var c = World(8);
        var account = a.Accounts[1].Id;
        Assert.Equal(a.Instances(account, "us-east-1", day).Select(i => i.Id), b.Instances(account, "us-east-1", day).Select(i => i.Id));
        Assert.NotEqual(a.Instances(account, "us-east-1", day).Select(i => i.Id), c.Instances(c.Accounts[1].Id, "us-east-1", day).Select(i => i.Id));
    }

    [Fact]
    public void Instances_drift_day_by_day_with_creations_terminations_and_changes()
    {
        var world = World();
        var account = world.Accounts[0].Id;
        var day1 = world.Instances(account, "us-east-1", new DateOnly(2026, 3, 1));
        var day60 = world.Instances(account, "us-east-1", new DateOnly(2026, 4, 30));
        var ids1 = day1.Select(i => i.Id).ToHashSet();
        var ids60 = day60.Select(i => i.Id).ToHashSet();
        Assert.NotEmpty(ids60.Except(ids1));   // created
        Assert.NotEmpty(ids1.Except(ids60));   // terminated
        Assert.NotEmpty(ids1.Intersect(ids60)); // survived
        var changed = day1.Join(day60, x => x.Id, y => y.Id, (x, y) => x.State != y.State || x.Type != y.Type).Count(c => c);
        var history = Enumerable.Range(0, 120).Select(d => world.Instances(account, "us-east-1", new DateOnly(2026, 1, 1).AddDays(d)))
            .SelectMany(list => list).GroupBy(i => i.Id).Count(g => g.Select(i => (i.State, i.Type)).Distinct().Count() > 1);
        Assert.True(changed > 0 || history > 0, "some instance should change state or type over time");
    }

    [Fact]
    public void References_resolve_instances_to_subnets_and_vpcs_and_tasks_to_clusters()
    {
        var world = World();
        var day = new DateOnly(2026, 11, 1);
        foreach (var account in world.Accounts)
        {
            foreach (var region in world.Regions)
            {
                var subnets = world.Subnets(account.Id, region, day).ToDictionary(s => s.Id);
                var vpcs = world.Vpcs(account.Id, region, day).Select(v => v.Id).ToHashSet();
                foreach (var instance in world.Instances(account.Id, region, day))
                {
                    Assert.True(subnets.ContainsKey(instance.Subnet.Id));
                    Assert.Contains(subnets[instance.Subnet.Id].VpcId, vpcs);
                }
                var clusters = world.EcsClusters(account.Id, region, day).Select(c => c.Arn).ToHashSet();
                Assert.All(world.EcsTasks(account.Id, region, day), t => Assert.Contains(t.Service.Cluster.Arn, clusters));
            }
        }
    }

    [Fact]
    public void Public_subnets_are_tagged_and_hold_some_instances()
    {
        var world = World();
        var day = new DateOnly(2026, 11, 1);
        var all = world.Accounts.SelectMany(a => world.Regions.SelectMany(r => world.Instances(a.Id, r, day))).ToList();
        Assert.Contains(all, i => i.Subnet.Layer == "public" && i.State == "running");
        Assert.Contains(all, i => i.Subnet.Layer == "private");
    }

    [Fact]
    public void Large_listings_are_answered_as_listings_that_hold_records_not_items()
    {
        var world = World();
        var day = new DateOnly(2026, 11, 1);
        var account = world.Accounts[1].Id;
        WorldOutput Answer(string service, string operation) => world.Answer(new WorldRequest(
            CloudInventory.Aws.Models.AwsModelBundle.Default.GetService(service).Operations[operation], account, "us-east-1", day, [], new ShapeValueGenerator()));

        var instances = Answer("ec2", "DescribeInstances");
        Assert.Equal(world.Instances(account, "us-east-1", day).Count, instances.Listing!.Count);
        Assert.Equal("Reservations", instances.Listing.ListPath);
        Assert.NotNull(Answer("ec2", "DescribeVolumes").Listing);
        Assert.NotNull(Answer("lambda", "ListFunctions").Listing);
        Assert.NotNull(Answer("dynamodb", "ListTables").Listing);
        Assert.Null(Answer("ec2", "DescribeRegions").Listing);
    }
}
