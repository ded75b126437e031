using System.Globalization;
using System.Text.Json;

namespace CloudInventory.Benchmarks.Pages;

/// <summary>
/// Generates a Systems Manager <c>DescribeInstanceInformation</c> page (json 1.1) deterministically
/// from the item index: managed instances, EC2 and hybrid, with agent, platform, registration and
/// association details and the per-status association counts map. Timestamps are epoch seconds
/// with milliseconds, as the service sends them.
/// </summary>
internal sealed class SsmInstanceInformationPage
{
    private static readonly string[] s_platforms = ["Amazon Linux", "Ubuntu", "Microsoft Windows Server 2022 Datacenter", "Red Hat Enterprise Linux"];
    private static readonly string[] s_versions = ["2023", "22.04", "10.0.20348", "9.3"];
    private static readonly string[] s_statuses = ["Success", "Failed", "Pending"];
    private const double Epoch2024 = 1704067200;

    private readonly Utf8JsonWriter _json;
    private int _leaves;
    private long _integerSum;

    private SsmInstanceInformationPage(Utf8JsonWriter json) => _json = json;

    /// <summary>Generates a page listing <paramref name="instances"/> managed instances.</summary>
    public static GeneratedPage Generate(int instances)
    {
        var output = new MemoryStream();
        int leaves;
        long integerSum;
        using (var json = new Utf8JsonWriter(output))
        {
            var page = new SsmInstanceInformationPage(json);
            page.Write(instances);
            leaves = page._leaves;
            integerSum = page._integerSum;
        }
        return new GeneratedPage(output.ToArray(), instances, leaves, integerSum);
    }

    private void Write(int instances)
    {
        _json.WriteStartObject();
        _json.WriteStartArray("InstanceInformationList");
        for (var i = 0; i < instances; i++) WriteInstance(i);
        _json.WriteEndArray();
        Leaf("NextToken", "AAEAAbCq2YQm1uCRqvFh6wV1exampleNextToken");
        _json.WriteEndObject();
    }

    private void WriteInstance(int i)
    {
        var hybrid = i % 10 == 9;
        var windows = i % 4 == 2;
        var id = hybrid ? $"mi-{Hex(i, 17)}" : $"i-{Hex(i, 17)}";
        var registered = Epoch2024 + i * 3600.125;
        _json.WriteStartObject();
        Leaf("InstanceId", id);
        Leaf("PingStatus", i % 17 == 0 ? "ConnectionLost" : "Online");
        Timestamp("LastPingDateTime", registered + 86400 * 30 + i % 60);
        Leaf("AgentVersion", $"3.3.{1000 + i % 300}.0");
        Leaf("IsLatestVersion", i % 3 == 0);
        Leaf("PlatformType", windows ? "Windows" : "Linux");
        Leaf("PlatformName", s_platforms[i % s_platforms.Length]);
        Leaf("PlatformVersion", s_versions[i % s_versions.Length]);
        if (hybrid)
        {
            Leaf("ActivationId", $"{Hex(i * 31, 8)}-1d2e-4f5a-8b9c-{Hex(i, 12)}");
            Leaf("IamRole", "SSMServiceRole");
            Timestamp("RegistrationDate", registered);
        }
        Leaf("ResourceType", hybrid ? "ManagedInstance" : "EC2Instance");
        Leaf("Name", $"host-{i:D4}.corp.example.com");
        Leaf("IPAddress", $"10.{i / 250 % 256}.{i % 250}.{4 + i % 7}");
        Leaf("ComputerName", windows ? $"EC2AMAZ-{Hex(i, 7).ToUpperInvariant()}" : $"ip-10-{i / 250 % 256}-{i % 250}-{4 + i % 7}.ec2.internal");
        Leaf("AssociationStatus", s_statuses[i % 7 == 0 ? 1 : 0]);
        Timestamp("LastAssociationExecutionDate", registered + 86400 * 29);
        Timestamp("LastSuccessfulAssociationExecutionDate", registered + 86400 * 28);
        _json.WriteStartObject("AssociationOverview");
        Leaf("DetailedStatus", s_statuses[i % 7 == 0 ? 1 : 0]);
        _json.WriteStartObject("InstanceAssociationStatusAggregatedCount");
        Leaf("Success", 2 + i % 5);
        if (i % 7 == 0) Leaf("Failed", 1);
        if (i % 11 == 0) Leaf("Pending", 1 + i % 3);
        _json.WriteEndObject();
        _json.WriteEndObject();
        Leaf("SourceId", id);
        Leaf("SourceType", hybrid ? "AWS::SSM::ManagedInstance" : "AWS::EC2::Instance");
        _json.WriteEndObject();
    }

    private void Leaf(string name, string value)
    {
        _json.WriteString(name, value);
        _leaves++;
    }

    private void Leaf(string name, long value)
    {
        _json.WriteNumber(name, value);
        _leaves++;
        _integerSum += value;
    }

    private void Leaf(string name, bool value)
    {
        _json.WriteBoolean(name, value);
        _leaves++;
    }

    private void Timestamp(string name, double epochSeconds)
    {
        _json.WriteNumber(name, Math.Round(epochSeconds, 3));
        _leaves++;
    }

    private static string Hex(long value, int digits) => value.ToString("x" + digits.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
}
