using Amazon.EC2;
using Amazon.EC2.Model;
using CloudInventory.Aws.Client;
using CloudInventory.Aws.Credentials;
using CloudInventory.Aws.Endpoints;
using CloudInventory.Aws.Protocols;
using CloudInventory.Simulator;
using CloudInventory.Tests.Simulator;
using System.Text.Json.Nodes;

namespace CloudInventory.Tests.Aws.Client;

/// <summary>The client end to end against the simulated cloud, cross-checked with the AWS SDK's typed clients.</summary>
public class AwsClientSimulatorTests(SimulatorFixture fixture) : IClassFixture<SimulatorFixture>
{
    [Fact]
    public async Task Pages_ec2_instances_like_the_sdk_paginator()
    {
        using var client = Client(fixture.Cloud, "us-east-1");
        var ours = new List<string>();
        var pages = 0;
        await foreach (var page in client.PaginateAsync("ec2", "DescribeInstances", null, () => new ValueTreeBuilder()))
        {
            pages++;
            var root = ((ValueTreeBuilder)page.Visitor).Root!;
            foreach (var reservation in root["Reservations"]?.AsArray() ?? [])
            {
                ours.AddRange(reservation!["Instances"]!.AsArray().Select(i => i!["InstanceId"]!.GetValue<string>()));
            }
        }

        using var ec2 = new AmazonEC2Client(fixture.ManagementCredentials, fixture.Configure(new AmazonEC2Config()));
        var theirs = new List<string>();
        await foreach (var instance in ec2.Paginators.DescribeInstances(new DescribeInstancesRequest()).Reservations)
        {
            theirs.AddRange(instance.Instances.Select(i => i.InstanceId));
        }
        Assert.True(pages > 1, "expected several pages");
        Assert.NotEmpty(ours);
        Assert.Equal(theirs, ours);
    }

    [Fact]
    public async Task Follows_buckets_to_their_region()
    {
        using var client = Client(fixture.Cloud, "us-east-1");
        var list = new ValueTreeBuilder();
        await client.CallAsync("s3", "ListBuckets", null, list);
        var buckets = list.Root!["Buckets"]!.AsArray().Select(b => (Name: b!["Name"]!.GetValue<string>(), Region: b["BucketRegion"]!.GetValue<string>())).ToList();
        var elsewhere = buckets.First(b => b.Region != "us-east-1");
        var page = await client.CallAsync("s3", "GetBucketVersioning", new JsonObject { ["Bucket"] = elsewhere.Name }, new ValueTreeBuilder());
        Assert.Equal(elsewhere.Region, page.Region);
        Assert.Equal(200, page.StatusCode);
    }

    [Fact]
    public async Task Retries_through_injected_throttling()
    {
        await using var cloud = await SimulatedCloud.StartAsync(new SimulatorOptions
        {
            Seed = 7, Date = SimulatorFixture.Day, Accounts = 1, Regions = ["us-east-1"], ThrottleRate = 0.3,
        });
        var delays = new List<TimeSpan>();
        using var client = Client(cloud, "us-east-1", delays, maxAttempts: 15);
        var pages = 0;
        for (var i = 0; i < 10; i++)
        {
            await foreach (var page in client.PaginateAsync("ec2", "DescribeVpcs", null, () => new ValueTreeBuilder()))
            {
                pages++;
            }
        }
        Assert.True(pages >= 10);
        Assert.NotEmpty(delays);
    }

    private static AwsClient Client(SimulatedCloud cloud, string region, List<TimeSpan>? delays = null, int maxAttempts = 3)
    {
        var options = new AwsClientOptions
        {
            Region = region,
            Credentials = AwsCredentialSource.Static(cloud.ManagementAccessKey, cloud.SecretFor(cloud.ManagementAccessKey)),
            EndpointUrl = cloud.Endpoint,
            EndpointResolver = new AwsEndpointResolver(_ => null),
            MaxAttempts = maxAttempts,
        };
        options.Retry.DelayAsync = (delay, _) =>
        {
            if (delays is not null) lock (delays) delays.Add(delay);
            return Task.CompletedTask;
        };
        return new AwsClient(options);
    }
}
