using System.Text.Json;
using CloudInventory.Azure;

namespace CloudInventory.Tests.Azure;

public sealed class AzureClientTests
{
    [Fact]
    public async Task Lists_every_subscription_the_credential_sees_the_disabled_one_included()
    {
        await using var session = await AzureSimulatorSession.StartAsync(o => o.Subscriptions = 3);
        var subscriptions = await session.Client().ListSubscriptionsAsync().ToListAsync();

        Assert.Equal(session.Simulator.World.Subscriptions.Select(s => s.Id), subscriptions.Select(s => s.SubscriptionId));
        Assert.Equal(3, subscriptions.Count(s => s.IsEnabled));
        var disabled = Assert.Single(subscriptions, s => !s.IsEnabled);
        Assert.Equal("Disabled", disabled.State);
        Assert.All(subscriptions, s => Assert.Equal(session.Simulator.World.TenantId, s.TenantId));
    }

    [Fact]
    public async Task Walks_a_management_groups_descendants_at_every_depth()
    {
        await using var session = await AzureSimulatorSession.StartAsync(o => o.Subscriptions = 4);
        var world = session.Simulator.World;
        var descendants = await session.Client().ListManagementGroupDescendantsAsync("landing-zones").ToListAsync();

        Assert.Equal(["corp", "corp-prod"], descendants.Where(d => !d.IsSubscription).Select(d => d.Name).Order());
        var expected = world.Subscriptions.Where(s => s.ManagementGroup is "corp" or "corp-prod" or "landing-zones").Select(s => s.Id).Order();
        Assert.Equal(expected, descendants.Where(d => d.IsSubscription).Select(d => d.Name).Order());
        Assert.Equal("/providers/Microsoft.Management/managementGroups/corp", descendants.Single(d => d.Name == "corp-prod").ParentId);

        var all = await session.Client().ListManagementGroupDescendantsAsync(world.TenantId).ToListAsync();
        Assert.Equal(world.ManagementGroups.Count - 1, all.Count(d => !d.IsSubscription));
        Assert.Equal(world.Subscriptions.Count, all.Count(d => d.IsSubscription));
    }

    [Fact]
    public async Task Pages_resource_graph_by_skip_token_and_returns_exactly_the_worlds_resources()
    {
        await using var session = await AzureSimulatorSession.StartAsync();
        var world = session.Simulator.World;
        var enabled = world.Subscriptions.Where(s => s.State == "Enabled").ToList();
        var ids = enabled.Select(s => s.Id).ToList();

        var rows = await session.Client(o => o.PageSize = 7).QueryAsync(ResourceGraphQuery.Resources, ids).ToListAsync();

        var expected = enabled.SelectMany(s => world.Resources(s, AzureSimulatorSession.Day)).Select(r => (string)r["id"]!).Order(StringComparer.OrdinalIgnoreCase).ToList();
        Assert.True(expected.Count > 14, "the world spans several pages");
        Assert.Equal(expected, rows.Select(r => r.GetProperty("id").GetString()!));
        Assert.Contains(rows, r => r.GetProperty("type").GetString() == "microsoft.compute/virtualmachines");
    }

    [Fact]
    public async Task Pages_of_a_thousand_rows_cover_a_large_tenant()
    {
        await using var session = await AzureSimulatorSession.StartAsync(o => o.Scale = 40);
        var world = session.Simulator.World;
        var enabled = world.Subscriptions.Where(s => s.State == "Enabled").ToList();
        var expected = enabled.Sum(s => world.Resources(s, AzureSimulatorSession.Day).Count());
        Assert.True(expected > 2000, $"{expected} rows should need three pages");

        var rows = await session.Client().QueryAsync(ResourceGraphQuery.Resources, enabled.Select(s => s.Id).ToList()).ToListAsync();

        Assert.Equal(expected, rows.Count);
        Assert.Equal(expected, rows.Select(r => r.GetProperty("id").GetString()).Distinct().Count());
    }

    [Fact]
    public async Task Pages_held_at_once_are_bounded_across_queries_and_freed_when_a_query_moves_on_or_stops()
    {
        await using var session = await AzureSimulatorSession.StartAsync();
        var world = session.Simulator.World;
        var enabled = world.Subscriptions.Where(s => s.State == "Enabled").ToList();
        var ids = enabled.Select(s => s.Id).ToList();
        var client = session.Client(o => { o.PageSize = 10; o.MaxPagesInFlight = 1; });

        // The first query holds its first page (its next page waits for the one place); the second cannot get a page.
        await using (var first = client.QueryPagesAsync(ResourceGraphQuery.Resources, ids).GetAsyncEnumerator())
        {
            Assert.True(await first.MoveNextAsync());
            var held = first.Current.Rows[0].GetProperty("id").GetString();
            var second = client.QueryPagesAsync(ResourceGraphQuery.ResourceContainers, ids).GetAsyncEnumerator();
            var waiting = second.MoveNextAsync().AsTask();
            Assert.NotSame(waiting, await Task.WhenAny(waiting, Task.Delay(TimeSpan.FromSeconds(1))));
            Assert.Equal(held, first.Current.Rows[0].GetProperty("id").GetString()); // not freed under its reader

            // The first stops: its page and the place its next page waited for are freed, and the second goes on.
            await first.DisposeAsync();
            Assert.True(await waiting);
            var containers = (long)second.Current.Rows.Count;
            while (await second.MoveNextAsync()) containers += second.Current.Rows.Count;
            await second.DisposeAsync();
            Assert.Equal(enabled.Sum(s => world.ResourceContainers(s, AzureSimulatorSession.Day).Count()), containers);
        }

        // With one place, a query still reads every page (its next page is sent once the current one is freed).
        long rows = 0;
        await foreach (var page in client.QueryPagesAsync(ResourceGraphQuery.Resources, ids)) rows += page.Rows.Count;
        Assert.Equal(enabled.Sum(s => world.Resources(s, AzureSimulatorSession.Day).Count()), rows);
    }

    [Fact]
    public async Task Resource_containers_are_the_subscriptions_and_their_resource_groups()
    {
        await using var session = await AzureSimulatorSession.StartAsync();
        var world = session.Simulator.World;
        var subscription = world.Subscriptions[0];

        var rows = await session.Client().QueryAsync(ResourceGraphQuery.ResourceContainers, [subscription.Id]).ToListAsync();

        Assert.Single(rows, r => r.GetProperty("type").GetString() == "microsoft.resources/subscriptions");
        Assert.Equal(world.ResourceGroups(subscription, AzureSimulatorSession.Day).Count, rows.Count(r => r.GetProperty("type").GetString() == "microsoft.resources/subscriptions/resourcegroups"));
    }

    [Fact]
    public async Task A_disabled_subscription_has_no_readable_resources()
    {
        await using var session = await AzureSimulatorSession.StartAsync();
        var disabled = session.Simulator.World.Subscriptions.Single(s => s.State == "Disabled");

        Assert.Empty(await session.Client().QueryAsync(ResourceGraphQuery.Resources, [disabled.Id]).ToListAsync());
    }

    [Fact]
    public async Task Paces_itself_by_the_quota_headers_and_never_outruns_the_quota()
    {
        await using var session = await AzureSimulatorSession.StartAsync(o =>
        {
            o.QuotaPerWindow = 3;
            o.QuotaWindow = TimeSpan.FromMilliseconds(300);
        });
        var ids = session.Simulator.World.Subscriptions.Select(s => s.Id).ToList();
        var client = session.Client(o => o.PageSize = 5);

        var rows = await client.QueryAsync(ResourceGraphQuery.Resources, ids).ToListAsync();

        Assert.True(rows.Count > 30, "enough pages to spend the quota more than once");
        Assert.Equal(0, session.Simulator.QuotaExceeded);
        Assert.True(client.Quota.Waits > 0, "the client waited for the quota window at least once");
    }

    [Fact]
    public async Task Throttling_server_errors_and_cut_short_or_truncated_pages_give_the_same_rows_as_a_clean_run()
    {
        await using var clean = await AzureSimulatorSession.StartAsync(o => o.Scale = 3);
        var ids = clean.Simulator.World.Subscriptions.Select(s => s.Id).ToList();
        var expected = await clean.Client(o => o.PageSize = 25).QueryAsync(ResourceGraphQuery.Resources, ids).ToListAsync();

        await using var faulty = await AzureSimulatorSession.StartAsync(o =>
        {
            o.Scale = 3;
            o.ThrottleRate = 0.3;
            o.ErrorRate = 0.05;
            o.TruncateRate = 0.05;
            o.ShortPageRate = 0.2;
            o.QuotaWindow = TimeSpan.FromMilliseconds(100);
        });
        var client = faulty.Client(o =>
        {
            o.PageSize = 25;
            o.MaxRetries = 30;
            o.MaxRetryDelay = TimeSpan.FromMilliseconds(200);
        });
        var rows = await client.QueryAsync(ResourceGraphQuery.Resources, ids).ToListAsync();

        Assert.Equal(expected.Select(r => r.GetRawText()), rows.Select(r => r.GetRawText()));
    }

    [Fact]
    public async Task A_wrong_client_secret_is_an_authentication_failure_not_a_retry_loop()
    {
        await using var session = await AzureSimulatorSession.StartAsync();
        var client = session.Client(credential: session.Credential("not-the-secret"));

        var e = await Assert.ThrowsAsync<AzureApiException>(async () => await client.ListSubscriptionsAsync().ToListAsync());
        Assert.Equal("AuthenticationFailed", e.Code);
        Assert.True(e.IsAccessDenied);
        Assert.True(e.Message.Contains("AADSTS7000215", StringComparison.Ordinal), e.Message);
    }

    [Fact]
    public void Refuses_an_endpoint_that_is_not_https()
    {
        var credential = AzureCredentialSource.CreateClientSecret("t", "c", "s", new Uri("https://127.0.0.1:1"));
        var e = Assert.Throws<ArgumentException>(() => new AzureClient(credential, new AzureClientOptions { Endpoint = new Uri("http://127.0.0.1:1") }));
        Assert.Contains("not https", e.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => AzureClientOptions.ParseEndpoint("http://example.test", "--azure-endpoint"));
    }
}
