using CloudInventory.Aws.Endpoints;
using CloudInventory.Aws.Models;

namespace CloudInventory.Tests.Aws.Endpoints;

public class AwsEndpointResolverTests
{
    private static readonly AwsEndpointResolver s_noEnvironment = new(_ => null);

    [Theory]
    // regional
    [InlineData("ec2", "eu-west-1", "https://ec2.eu-west-1.amazonaws.com/", "eu-west-1", "ec2")]
    [InlineData("cloudwatchlogs", "us-east-2", "https://logs.us-east-2.amazonaws.com/", "us-east-2", "logs")]
    [InlineData("sts", "eu-central-1", "https://sts.eu-central-1.amazonaws.com/", "eu-central-1", "sts")]
    [InlineData("pricing", "us-east-1", "https://api.pricing.us-east-1.amazonaws.com/", "us-east-1", "pricing")]
    // global, signed for us-east-1 (or their home region)
    [InlineData("iam", "eu-west-1", "https://iam.amazonaws.com/", "us-east-1", "iam")]
    [InlineData("route53", "ap-southeast-2", "https://route53.amazonaws.com/", "us-east-1", "route53")]
    [InlineData("cloudfront", "eu-west-3", "https://cloudfront.amazonaws.com/", "us-east-1", "cloudfront")]
    [InlineData("waf", "eu-west-1", "https://waf.amazonaws.com/", "us-east-1", "waf")]
    [InlineData("budgets", "eu-west-1", "https://budgets.amazonaws.com/", "us-east-1", "budgets")]
    [InlineData("savingsplans", "eu-west-1", "https://savingsplans.amazonaws.com/", "us-east-1", "savingsplans")]
    [InlineData("organizations", "eu-west-1", "https://organizations.us-east-1.amazonaws.com/", "us-east-1", "organizations")]
    [InlineData("globalaccelerator", "eu-west-1", "https://globalaccelerator.us-west-2.amazonaws.com/", "us-west-2", "globalaccelerator")]
    // s3
    [InlineData("s3", "us-east-1", "https://s3.amazonaws.com/", "us-east-1", "s3")]
    [InlineData("s3", "eu-west-1", "https://s3.eu-west-1.amazonaws.com/", "eu-west-1", "s3")]
    [InlineData("s3", "cn-north-1", "https://s3.cn-north-1.amazonaws.com.cn/", "cn-north-1", "s3")]
    // aws-cn
    [InlineData("ec2", "cn-north-1", "https://ec2.cn-north-1.amazonaws.com.cn/", "cn-north-1", "ec2")]
    [InlineData("iam", "cn-northwest-1", "https://iam.cn-north-1.amazonaws.com.cn/", "cn-north-1", "iam")]
    [InlineData("organizations", "cn-north-1", "https://organizations.cn-northwest-1.amazonaws.com.cn/", "cn-northwest-1", "organizations")]
    // aws-us-gov
    [InlineData("ec2", "us-gov-east-1", "https://ec2.us-gov-east-1.amazonaws.com/", "us-gov-east-1", "ec2")]
    [InlineData("iam", "us-gov-east-1", "https://iam.us-gov.amazonaws.com/", "us-gov-west-1", "iam")]
    [InlineData("route53", "us-gov-west-1", "https://route53.us-gov.amazonaws.com/", "us-gov-west-1", "route53")]
    [InlineData("organizations", "us-gov-east-1", "https://organizations.us-gov-west-1.amazonaws.com/", "us-gov-west-1", "organizations")]
    public void Resolves_standard_endpoints(string service, string region, string url, string signingRegion, string signingName)
    {
        var endpoint = s_noEnvironment.Resolve(AwsModelBundle.Default.GetService(service), region);
        Assert.Equal(url, endpoint.Url.ToString());
        Assert.Equal(signingRegion, endpoint.SigningRegion);
        Assert.Equal(signingName, endpoint.SigningName);
        Assert.False(endpoint.IsCustom);
    }

    [Theory]
    [InlineData("ec2", "AWS_ENDPOINT_URL_EC2", "http://localhost:4566/", "http://localhost:4566/")]
    [InlineData("elbv2", "AWS_ENDPOINT_URL_ELASTIC_LOAD_BALANCING_V2", "http://127.0.0.1:9000", "http://127.0.0.1:9000/")]
    [InlineData("cloudwatchlogs", "AWS_ENDPOINT_URL_CLOUDWATCH_LOGS", "https://logs.example.test", "https://logs.example.test/")]
    [InlineData("ec2", "AWS_ENDPOINT_URL", "http://localhost:5000/", "http://localhost:5000/")]
    public void Honours_endpoint_url_environment_overrides(string service, string variable, string value, string url)
    {
        var resolver = new AwsEndpointResolver(name => name == variable ? value : null);
        var endpoint = resolver.Resolve(AwsModelBundle.Default.GetService(service), "eu-west-1");
        Assert.Equal(url, endpoint.Url.ToString());
        Assert.True(endpoint.IsCustom);
        Assert.Equal("eu-west-1", endpoint.SigningRegion);
    }

    [Fact]
    public void Prefers_the_service_variable_then_the_explicit_url()
    {
        var environment = new Dictionary<string, string>
        {
            ["AWS_ENDPOINT_URL"] = "http://generic:1",
            ["AWS_ENDPOINT_URL_EC2"] = "http://ec2-specific:2",
        };
        var resolver = new AwsEndpointResolver(environment.GetValueOrDefault);
        var ec2 = AwsModelBundle.Default.GetService("ec2");
        Assert.Equal("http://ec2-specific:2/", resolver.Resolve(ec2, "us-east-1").Url.ToString());
        Assert.Equal("http://generic:1/", resolver.Resolve(AwsModelBundle.Default.GetService("sqs"), "us-east-1").Url.ToString());
        Assert.Equal("http://explicit:3/", resolver.Resolve(ec2, "us-east-1", new Uri("http://explicit:3")).Url.ToString());
    }

    [Fact]
    public void Ignores_environment_overrides_when_asked_to()
    {
        var environment = new Dictionary<string, string>
        {
            ["AWS_ENDPOINT_URL"] = "http://generic:1",
            ["AWS_IGNORE_CONFIGURED_ENDPOINT_URLS"] = "true",
        };
        var endpoint = new AwsEndpointResolver(environment.GetValueOrDefault).Resolve(AwsModelBundle.Default.GetService("ec2"), "us-east-1");
        Assert.Equal("https://ec2.us-east-1.amazonaws.com/", endpoint.Url.ToString());
    }

    [Fact]
    public void Signs_custom_endpoints_of_global_services_for_their_signing_region()
    {
        var endpoint = s_noEnvironment.Resolve(AwsModelBundle.Default.GetService("iam"), "eu-west-1", new Uri("http://127.0.0.1:8080"));
        Assert.Equal("us-east-1", endpoint.SigningRegion);
        Assert.True(endpoint.IsCustom);
    }

    [Theory]
    [InlineData("https://servicediscovery.eu-west-1.amazonaws.com", "data-", "https://data-servicediscovery.eu-west-1.amazonaws.com/")]
    [InlineData("http://sim.example.test:8080", "data.", "http://data.sim.example.test:8080/")]
    [InlineData("http://127.0.0.1:8080", "data.", "http://127.0.0.1:8080/")]
    [InlineData("http://localhost:8080", "data.", "http://localhost:8080/")]
    [InlineData("http://[::1]:8080", "data.", "http://[::1]:8080/")]
    [InlineData("https://ec2.eu-west-1.amazonaws.com", null, "https://ec2.eu-west-1.amazonaws.com/")]
    public void Prepends_host_prefixes_except_to_ip_and_localhost_endpoints(string url, string? prefix, string expected)
    {
        var endpoint = new AwsEndpoint(new Uri(url), "eu-west-1", "x", IsCustom: true);
        Assert.Equal(expected, endpoint.WithHostPrefix(prefix).ToString());
    }

    [Theory]
    [InlineData("")]
    [InlineData("EU-WEST-1")]
    [InlineData("eu west 1")]
    public void Rejects_invalid_regions(string region)
    {
        Assert.Throws<ArgumentException>(() => s_noEnvironment.Resolve(AwsModelBundle.Default.GetService("ec2"), region));
    }

    [Fact]
    public void Rejects_non_http_endpoint_urls()
    {
        Assert.Throws<ArgumentException>(() => s_noEnvironment.Resolve(AwsModelBundle.Default.GetService("ec2"), "us-east-1", new Uri("ftp://x")));
    }
}
