using System.Text.Json.Nodes;
using Amazon.EC2;
using Amazon.EC2.Model;
using Amazon.Runtime;
using CloudInventory.Simulator;
using CloudInventory.Simulator.Server;

namespace CloudInventory.Tests.Simulator.Server;

public class PagedResultCacheTests
{
    private static JsonObject Entry(int n) => new() { ["n"] = n };

    [Fact]
    public void Returns_the_stored_entry_without_building_it_again()
    {
        var cache = new PagedResultCache<JsonObject>(2);
        var builds = 0;
        var first = cache.GetOrAdd("a", () => { builds++; return Entry(1); });
        var second = cache.GetOrAdd("a", () => { builds++; return Entry(2); });
        Assert.Same(first, second);
        Assert.Equal(1, builds);
    }

    [Fact]
    public void Evicts_the_least_recently_used_entry_beyond_its_capacity()
    {
        var cache = new PagedResultCache<JsonObject>(2);
        cache.GetOrAdd("a", () => Entry(1));
        cache.GetOrAdd("b", () => Entry(2));
        cache.GetOrAdd("a", () => Entry(9)); // a is now the most recent
        cache.GetOrAdd("c", () => Entry(3)); // evicts b
        Assert.Equal(2, cache.Count);
        Assert.Equal(1, cache.GetOrAdd("a", () => Entry(9))["n"]!.GetValue<int>());
        Assert.Equal(20, cache.GetOrAdd("b", () => Entry(20))["n"]!.GetValue<int>());
    }

    [Fact]
    public async Task Paging_through_the_cache_gives_the_same_items_as_a_one_entry_cache_and_follows_the_date()
    {
        var day = new DateOnly(2026, 11, 20);
        await using var cached = await SimulatedCloud.StartAsync(new SimulatorOptions { Seed = 11, Date = day, Accounts = 3, PageSize = 3, Scale = 2 });
        await using var tiny = await SimulatedCloud.StartAsync(new SimulatorOptions { Seed = 11, Date = day, Accounts = 3, PageSize = 3, Scale = 2, PagedResultCacheSize = 1 });

        var fromCached = await InstanceIdsAsync(cached);
        var fromTiny = await InstanceIdsAsync(tiny);
        Assert.True(fromCached.Count > 3, "expected several pages");
        Assert.Equal(fromTiny, fromCached);
        Assert.Equal(fromCached.Count, fromCached.Distinct().Count());

        // A month later the world has drifted; the cache must not serve the old day.
        cached.Date = day.AddDays(30);
        tiny.Date = day.AddDays(30);
        var laterCached = await InstanceIdsAsync(cached);
        Assert.Equal(await InstanceIdsAsync(tiny), laterCached);
        Assert.NotEqual(fromCached, laterCached);
    }

    [Fact]
    public async Task Requests_are_counted_per_account_region_and_service()
    {
        await using var cloud = await SimulatedCloud.StartAsync(new SimulatorOptions { Seed = 11, Accounts = 3, PageSize = 3 });
        var pages = (await InstanceIdsAsync(cloud, countPages: true)).Count;
        var scopes = cloud.RequestsByScope();
        Assert.Equal(pages, scopes[(cloud.World.ManagementAccount.Id, "us-east-1", "ec2")]);
        Assert.Equal(cloud.RequestCount, scopes.Values.Sum());
        Assert.True(cloud.MaxConcurrentRequests >= 1);
    }

    private static async Task<List<string>> InstanceIdsAsync(SimulatedCloud cloud, bool countPages = false)
    {
        using var ec2 = new AmazonEC2Client(new BasicAWSCredentials(cloud.ManagementAccessKey, cloud.SecretFor(cloud.ManagementAccessKey)),
            new AmazonEC2Config { ServiceURL = cloud.Endpoint.ToString(), AuthenticationRegion = "us-east-1", MaxErrorRetry = 0 });
        var ids = new List<string>();
        string? token = null;
        do
        {
            var page = await ec2.DescribeInstancesAsync(new DescribeInstancesRequest { NextToken = token });
            if (countPages) ids.Add(token ?? "first");
            else ids.AddRange(page.Reservations.SelectMany(r => r.Instances).Select(i => i.InstanceId));
            token = page.NextToken;
        }
        while (token is not null);
        return ids;
    }
}
