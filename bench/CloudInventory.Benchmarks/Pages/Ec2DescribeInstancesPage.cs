using System.Globalization;
using System.Text;
using System.Xml;

namespace CloudInventory.Benchmarks.Pages;

/// <summary>
/// Generates a realistic EC2 <c>DescribeInstances</c> page (ec2 protocol, XML, indented as EC2
/// sends it) deterministically from the item index: instances grouped into reservations, each
/// with tags, two network interfaces (private IPs with associations, security groups, IPv6),
/// block device mappings, security groups, placement, state, IAM instance profile, CPU, metadata
/// and DNS options.
/// </summary>
internal sealed class Ec2DescribeInstancesPage
{
    private static readonly string[] s_types = ["t3.micro", "m5.large", "c6i.xlarge", "r6g.2xlarge", "m7i.4xlarge"];
    private static readonly string[] s_zones = ["us-east-1a", "us-east-1b", "us-east-1c", "us-east-1d"];
    private static readonly string[] s_teams = ["payments", "search", "platform", "data", "identity", "edge"];
    private static readonly DateTime s_epoch = new(2024, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    private readonly XmlWriter _xml;
    private int _leaves;
    private long _integerSum;

    private Ec2DescribeInstancesPage(XmlWriter xml) => _xml = xml;

    /// <summary>Generates a page listing <paramref name="instances"/> instances.</summary>
    public static GeneratedPage Generate(int instances)
    {
        var output = new MemoryStream();
        var settings = new XmlWriterSettings { Encoding = new UTF8Encoding(false), Indent = true, IndentChars = "    " };
        int leaves;
        long integerSum;
        using (var xml = XmlWriter.Create(output, settings))
        {
            var page = new Ec2DescribeInstancesPage(xml);
            page.Write(instances);
            leaves = page._leaves;
            integerSum = page._integerSum;
        }
        return new GeneratedPage(output.ToArray(), instances, leaves, integerSum);
    }

    private void Write(int instances)
    {
        _xml.WriteStartDocument();
        _xml.WriteStartElement("DescribeInstancesResponse", "http://ec2.amazonaws.com/doc/2016-11-15/");
        _xml.WriteElementString("requestId", "8f7724cf-496f-496e-8fe3-example"); // response metadata, not a modelled member
        _xml.WriteStartElement("reservationSet");
        var index = 0;
        var reservation = 0;
        while (index < instances)
        {
            // Reservations of one to three instances, as launches of small groups give.
            var size = Math.Min(1 + reservation % 3, instances - index);
            WriteReservation(reservation, index, size);
            index += size;
            reservation++;
        }
        _xml.WriteEndElement();
        Leaf("nextToken", "eyJ2IjoiMiIsImMiOiJleGFtcGxlLW5leHQtdG9rZW4ifQ==");
        _xml.WriteEndElement();
        _xml.WriteEndDocument();
    }

    private void WriteReservation(int reservation, int first, int size)
    {
        _xml.WriteStartElement("item");
        Leaf("reservationId", $"r-{Hex(reservation, 17)}");
        Leaf("ownerId", Account(reservation));
        Leaf("requesterId", "940372691376");
        _xml.WriteStartElement("groupSet");
        WriteGroup(reservation, 0);
        _xml.WriteEndElement();
        _xml.WriteStartElement("instancesSet");
        for (var i = 0; i < size; i++) WriteInstance(first + i, reservation, i);
        _xml.WriteEndElement();
        _xml.WriteEndElement();
    }

    private void WriteInstance(int i, int reservation, int launchIndex)
    {
        var id = $"i-{Hex(i, 17)}";
        var zone = s_zones[i % s_zones.Length];
        var ip = PrivateIp(i, 0);
        var launched = s_epoch.AddMinutes(i * 37);
        _xml.WriteStartElement("item");
        Leaf("instanceId", id);
        Leaf("imageId", $"ami-{Hex(i % 7, 17)}");
        _xml.WriteStartElement("instanceState");
        Leaf("code", 16);
        Leaf("name", "running");
        _xml.WriteEndElement();
        Leaf("privateDnsName", $"ip-{ip.Replace('.', '-')}.ec2.internal");
        Leaf("dnsName", $"ec2-54-{i / 250 % 256}-{i / 10 % 256}-{i % 250}.compute-1.amazonaws.com");
        Leaf("reason", "");
        Leaf("keyName", $"deploy-{s_teams[i % s_teams.Length]}");
        Leaf("amiLaunchIndex", launchIndex);
        _xml.WriteStartElement("productCodes");
        _xml.WriteEndElement();
        Leaf("instanceType", s_types[i % s_types.Length]);
        Leaf("launchTime", launched);
        _xml.WriteStartElement("placement");
        Leaf("availabilityZone", zone);
        Leaf("groupName", "");
        Leaf("tenancy", "default");
        _xml.WriteEndElement();
        _xml.WriteStartElement("monitoring");
        Leaf("state", i % 4 == 0 ? "enabled" : "disabled");
        _xml.WriteEndElement();
        Leaf("subnetId", Subnet(i));
        Leaf("vpcId", Vpc(i));
        Leaf("privateIpAddress", ip);
        Leaf("ipAddress", $"54.{i / 250 % 256}.{i / 10 % 256}.{i % 250}");
        Leaf("sourceDestCheck", true);
        _xml.WriteStartElement("groupSet");
        WriteGroup(i, 0);
        WriteGroup(i, 1);
        _xml.WriteEndElement();
        Leaf("architecture", i % 5 == 3 ? "arm64" : "x86_64");
        Leaf("rootDeviceType", "ebs");
        Leaf("rootDeviceName", "/dev/xvda");
        _xml.WriteStartElement("blockDeviceMapping");
        WriteBlockDevice(i, 0, "/dev/xvda", launched);
        WriteBlockDevice(i, 1, "/dev/sdf", launched);
        _xml.WriteEndElement();
        Leaf("virtualizationType", "hvm");
        Leaf("clientToken", $"{Hex(i * 7919, 8)}-{Hex(reservation, 4)}-4c1e-9a3b-{Hex(i, 12)}");
        _xml.WriteStartElement("tagSet");
        WriteTag("Name", $"{s_teams[i % s_teams.Length]}-web-{i:D4}");
        WriteTag("env", i % 3 == 0 ? "staging" : "production");
        WriteTag("team", s_teams[i % s_teams.Length]);
        WriteTag("cost-center", $"CC-{1000 + i % 40}");
        WriteTag("aws:autoscaling:groupName", $"asg-{s_teams[i % s_teams.Length]}-{i % 12}");
        _xml.WriteEndElement();
        Leaf("hypervisor", "xen");
        _xml.WriteStartElement("networkInterfaceSet");
        WriteNetworkInterface(i, 0, launched);
        WriteNetworkInterface(i, 1, launched);
        _xml.WriteEndElement();
        _xml.WriteStartElement("iamInstanceProfile");
        Leaf("arn", $"arn:aws:iam::{Account(reservation)}:instance-profile/{s_teams[i % s_teams.Length]}-app");
        Leaf("id", $"AIPA{Hex(i % 50, 17).ToUpperInvariant()}");
        _xml.WriteEndElement();
        Leaf("ebsOptimized", i % 2 == 0);
        Leaf("enaSupport", true);
        _xml.WriteStartElement("cpuOptions");
        Leaf("coreCount", 1 << (i % 5));
        Leaf("threadsPerCore", 2);
        _xml.WriteEndElement();
        _xml.WriteStartElement("capacityReservationSpecification");
        Leaf("capacityReservationPreference", "open");
        _xml.WriteEndElement();
        _xml.WriteStartElement("hibernationOptions");
        Leaf("configured", false);
        _xml.WriteEndElement();
        _xml.WriteStartElement("metadataOptions");
        Leaf("state", "applied");
        Leaf("httpTokens", "required");
        Leaf("httpPutResponseHopLimit", 2);
        Leaf("httpEndpoint", "enabled");
        Leaf("httpProtocolIpv6", "disabled");
        Leaf("instanceMetadataTags", "disabled");
        _xml.WriteEndElement();
        _xml.WriteStartElement("enclaveOptions");
        Leaf("enabled", false);
        _xml.WriteEndElement();
        Leaf("bootMode", "uefi-preferred");
        Leaf("platformDetails", "Linux/UNIX");
        Leaf("usageOperation", "RunInstances");
        Leaf("usageOperationUpdateTime", launched);
        _xml.WriteStartElement("privateDnsNameOptions");
        Leaf("hostnameType", "ip-name");
        Leaf("enableResourceNameDnsARecord", true);
        Leaf("enableResourceNameDnsAAAARecord", false);
        _xml.WriteEndElement();
        _xml.WriteStartElement("maintenanceOptions");
        Leaf("autoRecovery", "default");
        _xml.WriteEndElement();
        Leaf("currentInstanceBootMode", "legacy-bios");
        _xml.WriteEndElement();
    }

    private void WriteGroup(int i, int n)
    {
        _xml.WriteStartElement("item");
        Leaf("groupId", $"sg-{Hex(i % 97 * 2 + n, 17)}");
        Leaf("groupName", n == 0 ? $"{s_teams[i % s_teams.Length]}-app" : "default");
        _xml.WriteEndElement();
    }

    private void WriteTag(string key, string value)
    {
        _xml.WriteStartElement("item");
        Leaf("key", key);
        Leaf("value", value);
        _xml.WriteEndElement();
    }

    private void WriteBlockDevice(int i, int n, string device, DateTime launched)
    {
        _xml.WriteStartElement("item");
        Leaf("deviceName", device);
        _xml.WriteStartElement("ebs");
        Leaf("volumeId", $"vol-{Hex(i * 2 + n, 17)}");
        Leaf("status", "attached");
        Leaf("attachTime", launched.AddSeconds(1 + n));
        Leaf("deleteOnTermination", n == 0);
        _xml.WriteEndElement();
        _xml.WriteEndElement();
    }

    private void WriteNetworkInterface(int i, int n, DateTime launched)
    {
        var ip = PrivateIp(i, n);
        var dns = $"ip-{ip.Replace('.', '-')}.ec2.internal";
        _xml.WriteStartElement("item");
        Leaf("networkInterfaceId", $"eni-{Hex(i * 2 + n, 17)}");
        Leaf("subnetId", Subnet(i));
        Leaf("vpcId", Vpc(i));
        Leaf("description", n == 0 ? "Primary network interface" : "secondary");
        Leaf("ownerId", Account(i));
        Leaf("status", "in-use");
        Leaf("macAddress", $"0e:{i >> 8 & 0xff:x2}:{i & 0xff:x2}:{n:x2}:5c:a1");
        Leaf("privateIpAddress", ip);
        Leaf("privateDnsName", dns);
        Leaf("sourceDestCheck", true);
        _xml.WriteStartElement("groupSet");
        WriteGroup(i, 0);
        WriteGroup(i, 1);
        _xml.WriteEndElement();
        _xml.WriteStartElement("attachment");
        Leaf("attachmentId", $"eni-attach-{Hex(i * 2 + n, 17)}");
        Leaf("deviceIndex", n);
        Leaf("networkCardIndex", 0);
        Leaf("status", "attached");
        Leaf("attachTime", launched);
        Leaf("deleteOnTermination", n == 0);
        _xml.WriteEndElement();
        if (n == 0) WriteAssociation(i);
        _xml.WriteStartElement("privateIpAddressesSet");
        for (var k = 0; k < 2; k++)
        {
            var secondary = PrivateIp(i, n) + (k == 0 ? "" : "0");
            _xml.WriteStartElement("item");
            Leaf("privateIpAddress", secondary);
            Leaf("privateDnsName", $"ip-{secondary.Replace('.', '-')}.ec2.internal");
            Leaf("primary", k == 0);
            if (n == 0 && k == 0) WriteAssociation(i);
            _xml.WriteEndElement();
        }
        _xml.WriteEndElement();
        _xml.WriteStartElement("ipv6AddressesSet");
        _xml.WriteStartElement("item");
        Leaf("ipv6Address", $"2600:1f18:{i % 4:x}c0:{i:x4}:{n:x}::1");
        Leaf("isPrimaryIpv6", n == 0);
        _xml.WriteEndElement();
        _xml.WriteEndElement();
        Leaf("interfaceType", "interface");
        _xml.WriteEndElement();
    }

    private void WriteAssociation(int i)
    {
        _xml.WriteStartElement("association");
        Leaf("publicIp", $"54.{i / 250 % 256}.{i / 10 % 256}.{i % 250}");
        Leaf("publicDnsName", $"ec2-54-{i / 250 % 256}-{i / 10 % 256}-{i % 250}.compute-1.amazonaws.com");
        Leaf("ipOwnerId", "amazon");
        _xml.WriteEndElement();
    }

    private void Leaf(string name, string value)
    {
        _xml.WriteElementString(name, value);
        _leaves++;
    }

    private void Leaf(string name, long value)
    {
        _xml.WriteElementString(name, value.ToString(CultureInfo.InvariantCulture));
        _leaves++;
        _integerSum += value;
    }

    private void Leaf(string name, bool value)
    {
        _xml.WriteElementString(name, value ? "true" : "false");
        _leaves++;
    }

    private void Leaf(string name, DateTime value)
    {
        _xml.WriteElementString(name, value.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture));
        _leaves++;
    }

    private static string Hex(long value, int digits) => value.ToString("x" + digits.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);

    private static string Account(int i) => (123456789012L + i % 3).ToString(CultureInfo.InvariantCulture);

    private static string Subnet(int i) => $"subnet-{Hex(i % 24, 17)}";

    private static string Vpc(int i) => $"vpc-{Hex(i % 3, 17)}";

    private static string PrivateIp(int i, int n) => $"10.{n}.{i / 250 % 256}.{i % 250 + 4}";
}
