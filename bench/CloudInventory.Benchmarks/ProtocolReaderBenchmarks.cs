using Amazon.EC2.Model;
using Amazon.EC2.Model.Internal.MarshallTransformations;
using Amazon.SimpleSystemsManagement.Model;
using Amazon.SimpleSystemsManagement.Model.Internal.MarshallTransformations;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using CloudInventory.Aws.Models;
using CloudInventory.Aws.Protocols;
using CloudInventory.Benchmarks.Pages;

namespace CloudInventory.Benchmarks;

/// <summary>
/// Reading one 1,000-item response page, per item: our model-driven reader into a counting
/// visitor (the cost of reading) and into a <see cref="ValueTreeBuilder"/> (reading plus a tree),
/// against the AWS SDK for .NET's generated unmarshaller on the same bytes (the baseline).
/// Two pages: EC2 DescribeInstances (ec2 protocol, XML) and Systems Manager
/// DescribeInstanceInformation (json 1.1). The minimum and median are shown beside the mean:
/// on a shared machine they are less disturbed by other processes.
/// </summary>
[MemoryDiagnoser]
[MinColumn]
[MedianColumn]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class ProtocolReaderBenchmarks
{
    /// <summary>Items on each page; every benchmark reads one page per invocation.</summary>
    public const int PageItems = 1000;

    private const string Ec2 = "Ec2DescribeInstances";
    private const string Ssm = "SsmDescribeInstanceInformation";

    private readonly CountingVisitor _counter = new();
    private Operation _ec2Operation = null!;
    private Operation _ssmOperation = null!;
    private AwsHttpResponse _ec2Response = null!;
    private AwsHttpResponse _ssmResponse = null!;

    internal GeneratedPage Ec2Page { get; private set; } = null!;

    internal GeneratedPage SsmPage { get; private set; } = null!;

    /// <summary>Generates both pages and resolves the operations' models (their lookup tables warm up in the first iterations).</summary>
    [GlobalSetup]
    public void Setup()
    {
        Ec2Page = Ec2DescribeInstancesPage.Generate(PageItems);
        SsmPage = SsmInstanceInformationPage.Generate(PageItems);
        _ec2Operation = AwsModelBundle.Default.GetService("ec2").Operations["DescribeInstances"];
        _ssmOperation = AwsModelBundle.Default.GetService("ssm").Operations["DescribeInstanceInformation"];
        _ec2Response = AwsHttpResponse.Create(200, [], Ec2Page.Body);
        _ssmResponse = AwsHttpResponse.Create(200, [], SsmPage.Body);
    }

    /// <summary>The AWS SDK for .NET's <c>DescribeInstancesResponseUnmarshaller</c>.</summary>
    [Benchmark(Baseline = true, OperationsPerInvoke = PageItems, Description = "AWS SDK unmarshaller")]
    [BenchmarkCategory(Ec2)]
    public DescribeInstancesResponse Ec2_sdk_unmarshaller() =>
        (DescribeInstancesResponse)SdkUnmarshalling.Xml(DescribeInstancesResponseUnmarshaller.Instance, Ec2Page.Body);

    /// <summary>Our reader into a counting visitor.</summary>
    [Benchmark(OperationsPerInvoke = PageItems, Description = "AwsProtocolReader, counting visitor")]
    [BenchmarkCategory(Ec2)]
    public CountingVisitor Ec2_reader_counting()
    {
        _counter.Reset();
        AwsProtocolReader.ReadOutput(_ec2Operation, _ec2Response, _counter);
        return _counter;
    }

    /// <summary>Our reader into a <see cref="ValueTreeBuilder"/>.</summary>
    [Benchmark(OperationsPerInvoke = PageItems, Description = "AwsProtocolReader, ValueTreeBuilder")]
    [BenchmarkCategory(Ec2)]
    public ValueTreeBuilder Ec2_reader_tree()
    {
        var tree = new ValueTreeBuilder();
        AwsProtocolReader.ReadOutput(_ec2Operation, _ec2Response, tree);
        return tree;
    }

    /// <summary>The AWS SDK for .NET's <c>DescribeInstanceInformationResponseUnmarshaller</c>.</summary>
    [Benchmark(Baseline = true, OperationsPerInvoke = PageItems, Description = "AWS SDK unmarshaller")]
    [BenchmarkCategory(Ssm)]
    public DescribeInstanceInformationResponse Ssm_sdk_unmarshaller() =>
        (DescribeInstanceInformationResponse)SdkUnmarshalling.Json(DescribeInstanceInformationResponseUnmarshaller.Instance, SsmPage.Body);

    /// <summary>Our reader into a counting visitor.</summary>
    [Benchmark(OperationsPerInvoke = PageItems, Description = "AwsProtocolReader, counting visitor")]
    [BenchmarkCategory(Ssm)]
    public CountingVisitor Ssm_reader_counting()
    {
        _counter.Reset();
        AwsProtocolReader.ReadOutput(_ssmOperation, _ssmResponse, _counter);
        return _counter;
    }

    /// <summary>Our reader into a <see cref="ValueTreeBuilder"/>.</summary>
    [Benchmark(OperationsPerInvoke = PageItems, Description = "AwsProtocolReader, ValueTreeBuilder")]
    [BenchmarkCategory(Ssm)]
    public ValueTreeBuilder Ssm_reader_tree()
    {
        var tree = new ValueTreeBuilder();
        AwsProtocolReader.ReadOutput(_ssmOperation, _ssmResponse, tree);
        return tree;
    }
}
