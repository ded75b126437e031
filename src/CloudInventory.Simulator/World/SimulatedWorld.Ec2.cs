using System.Globalization;
using System.Text.Json.Nodes;

namespace CloudInventory.Simulator.World;

public sealed partial class SimulatedWorld
{
    private static readonly string[] s_instanceTypes = ["t3.micro", "t3.small", "m5.large", "m6i.xlarge", "c6g.large", "r5.large"];

    internal sealed record Vpc(string Id, string Cidr, int Ordinal, DateOnly Born, string Key);

    internal sealed record Subnet(string Id, string VpcId, string Cidr, string AvailabilityZone, string Layer, DateOnly Born, string Key);

    internal sealed record Instance(string Id, Subnet Subnet, string State, string Type, string ImageId, string SecurityGroupId,
        string VolumeId, string NetworkInterfaceId, string PrivateIp, DateOnly Born, string Key);

    // The records below are many at scale, and a cached listing keeps its list while its pages are read: the lists
    // keep who is alive (8 bytes each) and compute a record when it is read.

    internal IReadOnlyList<Vpc> Vpcs(string account, string region, DateOnly date)
    {
        var key = Key(account, region, "vpc");
        var alive = Population.Alive(key, Math.Max(1, Count(key, 2)), 0, date).ToArray();
        return new ComputedList<Vpc>(alive.Length, n =>
        {
            var m = alive[n];
            return new Vpc("vpc-" + StableHash.Hex($"{key}/{m.Index}", 17), $"10.{m.Index * 16 % 256}.0.0/16", m.Index, m.Born, $"{key}/{m.Index}");
        });
    }

    /// <summary>The subnets, four per VPC, as a stored list (callers search it).</summary>
    internal IReadOnlyList<Subnet> Subnets(string account, string region, DateOnly date) => SubnetsOf(Vpcs(account, region, date), region).ToList();

    private static ComputedList<Subnet> SubnetsOf(IReadOnlyList<Vpc> vpcs, string region) => new(vpcs.Count * 4, n =>
    {
        var vpc = vpcs[n / 4];
        var i = n % 4;
        var key = $"{vpc.Key}/subnet/{i}";
        var layer = i < 2 ? "public" : "private";
        return new Subnet("subnet-" + StableHash.Hex(key, 17), vpc.Id, $"10.{vpc.Ordinal * 16 % 256}.{i * 32}.0/19",
            region + (char)('a' + i % 2), layer, vpc.Born, key);
    });

    internal IReadOnlyList<Instance> Instances(string account, string region, DateOnly date)
    {
        var subnets = SubnetsOf(Vpcs(account, region, date), region);
        if (subnets.Count == 0) return [];
        var key = Key(account, region, "instance");
        var images = Images(account, region, date);
        var alive = Population.Alive(key, Count(key, 8), 0.03, date).ToArray();
        return new ComputedList<Instance>(alive.Length, n =>
        {
            var m = alive[n];
            var ikey = $"{key}/{m.Index}";
            var subnet = subnets[StableHash.Range(ikey + "/subnet", 0, subnets.Count)];
            var state = Population.Phase(ikey + "/state", m.Born, date, 20, 3) == 2 ? "stopped" : "running";
            var type = s_instanceTypes[(StableHash.Range(ikey + "/type", 0, s_instanceTypes.Length) + Population.Phase(ikey + "/type", m.Born, date, 90, 2)) % s_instanceTypes.Length];
            var vpcKey = subnet.Key[..subnet.Key.LastIndexOf("/subnet/", StringComparison.Ordinal)];
            var sg = "sg-" + StableHash.Hex($"{vpcKey}/sg/{1 + StableHash.Range(ikey + "/sg", 0, 2)}", 17);
            var image = images.Count > 0 ? images[StableHash.Range(ikey + "/ami", 0, images.Count)].Id : "ami-" + StableHash.Hex(ikey + "/ami", 17);
            var ip = $"10.{subnet.Cidr.Split('.')[1]}.{int.Parse(subnet.Cidr.Split('.')[2], CultureInfo.InvariantCulture) + StableHash.Range(ikey + "/ip3", 0, 31)}.{StableHash.Range(ikey + "/ip4", 4, 250)}";
            return new Instance("i-" + StableHash.Hex(ikey, 17), subnet, state, type, image, sg,
                "vol-" + StableHash.Hex(ikey + "/root", 17), "eni-" + StableHash.Hex(ikey + "/eni", 17), ip, m.Born, ikey);
        });
    }

    internal sealed record Image(string Id, string Name, DateOnly Born, string Key);

    internal IReadOnlyList<Image> Images(string account, string region, DateOnly date)
    {
        var key = Key(account, region, "image");
        var alive = Population.Alive(key, Count(key, 3), 0.01, date).ToArray();
        return new ComputedList<Image>(alive.Length, n =>
        {
            var m = alive[n];
            return new Image("ami-" + StableHash.Hex($"{key}/{m.Index}", 17), $"golden-{s_applications[m.Index % s_applications.Length]}-{m.Born:yyyyMMdd}", m.Born, $"{key}/{m.Index}");
        });
    }

    private WorldOutput? HandleEc2(WorldRequest r)
    {
        var (a, region, d) = (r.AccountId, r.Region, r.Date);
        switch (r.Operation.Name)
        {
            case "DescribeRegions":
                var regions = new JsonArray();
                foreach (var name in Regions.Append(OptInRegion).Order(StringComparer.Ordinal))
                {
                    regions.Add(new JsonObject
                    {
                        ["RegionName"] = name,
                        ["Endpoint"] = $"ec2.{name}.amazonaws.com",
                        ["OptInStatus"] = name == OptInRegion ? "not-opted-in" : "opt-in-not-required",
                    });
                }
                if (r.Input["AllRegions"] is not JsonValue all || !all.GetValue<bool>())
                    regions = new JsonArray(regions.Where(x => x!["OptInStatus"]!.GetValue<string>() != "not-opted-in").Select(x => x!.DeepClone()).ToArray());
                return new JsonObject { ["Regions"] = regions };

            case "DescribeVpcs":
                return List(r, "Vpcs", Vpcs(a, region, d), v =>
                {
                    var item = r.NewItem("Vpcs", v.Key);
                    item["VpcId"] = v.Id;
                    item["CidrBlock"] = v.Cidr;
                    item["State"] = "available";
                    item["OwnerId"] = a;
                    item["IsDefault"] = v.Ordinal == 0;
                    item["Tags"] = TagList(Tags(v.Key, v.Born, d, $"vpc-{v.Ordinal}"));
                    return item;
                }, "VpcIds", "VpcId");

            case "DescribeSubnets":
                return List(r, "Subnets", SubnetsOf(Vpcs(a, region, d), region), s =>
                {
                    var item = r.NewItem("Subnets", s.Key);
                    item["SubnetId"] = s.Id;
                    item["VpcId"] = s.VpcId;
                    item["CidrBlock"] = s.Cidr;
                    item["AvailabilityZone"] = s.AvailabilityZone;
                    item["State"] = "available";
                    item["OwnerId"] = a;
                    item["MapPublicIpOnLaunch"] = s.Layer == "public";
                    item["SubnetArn"] = $"arn:aws:ec2:{region}:{a}:subnet/{s.Id}";
                    var tags = Tags(s.Key, s.Born, d, $"{s.Layer}-{s.AvailabilityZone}");
                    tags["Layer"] = s.Layer;
                    item["Tags"] = TagList(tags);
                    return item;
                }, "SubnetIds", "SubnetId");

            case "DescribeSecurityGroups":
                var vpcsForGroups = Vpcs(a, region, d);
                return List(r, "SecurityGroups", new ComputedList<(Vpc, int)>(vpcsForGroups.Count * 3, n => (vpcsForGroups[n / 3], n % 3)), vi =>
                {
                    var (v, i) = vi;
                    var key = $"{v.Key}/sg/{i}";
                    var item = r.NewItem("SecurityGroups", key);
                    item["GroupId"] = "sg-" + StableHash.Hex(key, 17);
                    item["GroupName"] = i == 0 ? "default" : i == 1 ? "web" : "database";
                    item["Description"] = i == 0 ? "default VPC security group" : $"{item["GroupName"]} tier";
                    item["VpcId"] = v.Id;
                    item["OwnerId"] = a;
                    item["Tags"] = TagList(Tags(key, v.Born, d));
                    return item;
                }, "GroupIds", "GroupId");

            case "DescribeInternetGateways":
                return List(r, "InternetGateways", Vpcs(a, region, d), v =>
                {
                    var key = v.Key + "/igw";
                    var item = r.NewItem("InternetGateways", key);
                    item["InternetGatewayId"] = "igw-" + StableHash.Hex(key, 17);
                    item["OwnerId"] = a;
                    item["Attachments"] = new JsonArray(new JsonObject { ["VpcId"] = v.Id, ["State"] = "available" });
                    item["Tags"] = TagList(Tags(key, v.Born, d));
                    return item;
                }, "InternetGatewayIds", "InternetGatewayId");

            case "DescribeNatGateways":
                var subnetsForNat = Subnets(a, region, d);
                return List(r, "NatGateways", Vpcs(a, region, d), v =>
                {
                    var key = v.Key + "/nat";
                    var subnet = subnetsForNat.First(s => s.VpcId == v.Id && s.Layer == "public");
                    var item = r.NewItem("NatGateways", key);
                    item["NatGatewayId"] = "nat-" + StableHash.Hex(key, 17);
                    item["SubnetId"] = subnet.Id;
                    item["VpcId"] = v.Id;
                    item["State"] = "available";
                    item["CreateTime"] = At(v.Born, key);
                    item["Tags"] = TagList(Tags(key, v.Born, d));
                    return item;
                }, "NatGatewayIds", "NatGatewayId");

            case "DescribeRouteTables":
                var allSubnets = Subnets(a, region, d);
                var vpcsForRoutes = Vpcs(a, region, d);
                return List(r, "RouteTables", new ComputedList<(Vpc, string)>(vpcsForRoutes.Count * 2, n => (vpcsForRoutes[n / 2], n % 2 == 0 ? "public" : "private")), vl =>
                {
                    var (v, layer) = vl;
                    var key = $"{v.Key}/rtb/{layer}";
                    var id = "rtb-" + StableHash.Hex(key, 17);
                    var item = r.NewItem("RouteTables", key);
                    item["RouteTableId"] = id;
                    item["VpcId"] = v.Id;
                    item["OwnerId"] = a;
                    item["Associations"] = new JsonArray(allSubnets.Where(s => s.VpcId == v.Id && s.Layer == layer).Select(s => (JsonNode)new JsonObject
                    {
                        ["RouteTableAssociationId"] = "rtbassoc-" + StableHash.Hex(key + s.Id, 17),
                        ["RouteTableId"] = id,
                        ["SubnetId"] = s.Id,
                        ["Main"] = false,
                    }).ToArray());
                    item["Routes"] = new JsonArray(
                        new JsonObject { ["DestinationCidrBlock"] = v.Cidr, ["GatewayId"] = "local", ["State"] = "active", ["Origin"] = "CreateRouteTable" },
                        layer == "public"
                            ? new JsonObject { ["DestinationCidrBlock"] = "0.0.0.0/0", ["GatewayId"] = "igw-" + StableHash.Hex(v.Key + "/igw", 17), ["State"] = "active", ["Origin"] = "CreateRoute" }
                            : new JsonObject { ["DestinationCidrBlock"] = "0.0.0.0/0", ["NatGatewayId"] = "nat-" + StableHash.Hex(v.Key + "/nat", 17), ["State"] = "active", ["Origin"] = "CreateRoute" });
                    item["Tags"] = TagList(Tags(key, v.Born, d, $"{layer}-routes"));
                    return item;
                }, "RouteTableIds", "RouteTableId");

            case "DescribeInstances":
                var instances = Instances(a, region, d);
                var wanted = r.Strings("InstanceIds");
                var stateFilter = Filter(r, "instance-state-name");
                var subnetFilter = Filter(r, "subnet-id");
                // The filtered listing keeps the indexes of the instances that pass (their records are computed again when built).
                IReadOnlyList<Instance> selected = wanted is null && stateFilter is null && subnetFilter is null ? instances : Selected(instances, i =>
                    (wanted is null || wanted.Contains(i.Id))
                    && (stateFilter is null || stateFilter.Contains(i.State))
                    && (subnetFilter is null || subnetFilter.Contains(i.Subnet.Id)));
                // One reservation per instance, each built only when its page is asked for.
                return WorldListing.Of("Reservations", selected, i => new JsonObject
                {
                    ["ReservationId"] = "r-" + StableHash.Hex(i.Key + "/r", 17),
                    ["OwnerId"] = a,
                    ["Instances"] = new JsonArray(InstanceItem(r, i)),
                });

            case "DescribeVolumes":
                return List(r, "Volumes", Instances(a, region, d), i =>
                {
                    var key = i.Key + "/root";
                    var item = r.NewItem("Volumes", key);
                    item["VolumeId"] = i.VolumeId;
                    item["Size"] = 8 + StableHash.Range(key + "/size", 0, 4) * 8;
                    item["VolumeType"] = "gp3";
                    item["State"] = "in-use";
                    item["Encrypted"] = true;
                    item["AvailabilityZone"] = i.Subnet.AvailabilityZone;
                    item["CreateTime"] = At(i.Born, i.Key);
                    item["Attachments"] = new JsonArray(new JsonObject
                    {
                        ["InstanceId"] = i.Id, ["VolumeId"] = i.VolumeId, ["Device"] = "/dev/xvda", ["State"] = "attached",
                        ["AttachTime"] = At(i.Born, i.Key), ["DeleteOnTermination"] = true,
                    });
                    item["Tags"] = TagList(Tags(i.Key, i.Born, d));
                    return item;
                }, "VolumeIds", "VolumeId");

            case "DescribeNetworkInterfaces":
                return List(r, "NetworkInterfaces", Instances(a, region, d), i =>
                {
                    var item = r.NewItem("NetworkInterfaces", i.Key + "/eni");
                    item["NetworkInterfaceId"] = i.NetworkInterfaceId;
                    item["SubnetId"] = i.Subnet.Id;
                    item["VpcId"] = i.Subnet.VpcId;
                    item["AvailabilityZone"] = i.Subnet.AvailabilityZone;
                    item["PrivateIpAddress"] = i.PrivateIp;
                    item["OwnerId"] = a;
                    item["Status"] = "in-use";
                    item["InterfaceType"] = "interface";
                    item["Attachment"] = new JsonObject { ["InstanceId"] = i.Id, ["AttachmentId"] = "eni-attach-" + StableHash.Hex(i.Key, 17), ["DeviceIndex"] = 0, ["Status"] = "attached" };
                    item["Groups"] = new JsonArray(new JsonObject { ["GroupId"] = i.SecurityGroupId, ["GroupName"] = "web" });
                    item["TagSet"] = TagList(Tags(i.Key, i.Born, d));
                    return item;
                }, "NetworkInterfaceIds", "NetworkInterfaceId");

            case "DescribeImages":
                return List(r, "Images", Images(a, region, d), img =>
                {
                    var item = r.NewItem("Images", img.Key);
                    item["ImageId"] = img.Id;
                    item["Name"] = img.Name;
                    item["OwnerId"] = a;
                    item["State"] = "available";
                    item["Public"] = false;
                    item["CreationDate"] = At(img.Born, img.Key).ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
                    item["Tags"] = TagList(Tags(img.Key, img.Born, d));
                    return item;
                }, "ImageIds", "ImageId");

            case "DescribeSnapshots":
                return List(r, "Snapshots", Images(a, region, d), img =>
                {
                    var key = img.Key + "/snap";
                    var item = r.NewItem("Snapshots", key);
                    item["SnapshotId"] = "snap-" + StableHash.Hex(key, 17);
                    item["VolumeId"] = "vol-" + StableHash.Hex(key + "/vol", 17);
                    item["OwnerId"] = a;
                    item["State"] = "completed";
                    item["VolumeSize"] = 8;
                    item["StartTime"] = At(img.Born, key);
                    item["Description"] = $"Created for {img.Id}";
                    item["Tags"] = TagList(Tags(key, img.Born, d));
                    return item;
                }, "SnapshotIds", "SnapshotId");
        }
        return null;
    }

    private JsonObject InstanceItem(WorldRequest r, Instance i)
    {
        var item = r.NewItem("Reservations.Instances", i.Key);
        item["InstanceId"] = i.Id;
        item["ImageId"] = i.ImageId;
        item["InstanceType"] = i.Type;
        item["State"] = new JsonObject { ["Code"] = i.State == "running" ? 16 : 80, ["Name"] = i.State };
        item["SubnetId"] = i.Subnet.Id;
        item["VpcId"] = i.Subnet.VpcId;
        item["PrivateIpAddress"] = i.PrivateIp;
        item["LaunchTime"] = At(i.Born, i.Key);
        item["Placement"] = new JsonObject { ["AvailabilityZone"] = i.Subnet.AvailabilityZone, ["Tenancy"] = "default" };
        item["SecurityGroups"] = new JsonArray(new JsonObject { ["GroupId"] = i.SecurityGroupId, ["GroupName"] = "web" });
        item["IamInstanceProfile"] = new JsonObject
        {
            ["Arn"] = $"arn:aws:iam::{r.AccountId}:instance-profile/app-{StableHash.Range(i.Key + "/profile", 0, 3)}",
            ["Id"] = "AIPA" + StableHash.Hex(i.Key + "/profile", 16).ToUpperInvariant(),
        };
        item["BlockDeviceMappings"] = new JsonArray(new JsonObject
        {
            ["DeviceName"] = "/dev/xvda",
            ["Ebs"] = new JsonObject { ["VolumeId"] = i.VolumeId, ["Status"] = "attached", ["AttachTime"] = At(i.Born, i.Key), ["DeleteOnTermination"] = true },
        });
        item["NetworkInterfaces"] = new JsonArray(new JsonObject
        {
            ["NetworkInterfaceId"] = i.NetworkInterfaceId, ["SubnetId"] = i.Subnet.Id, ["VpcId"] = i.Subnet.VpcId,
            ["PrivateIpAddress"] = i.PrivateIp, ["Status"] = "in-use", ["OwnerId"] = r.AccountId,
        });
        item["Tags"] = TagList(Tags(i.Key, i.Born, r.Date, $"{i.Subnet.Layer}-{i.Type}"));
        return item;
    }

    private static HashSet<string>? Filter(WorldRequest r, string name)
    {
        if (r.Input["Filters"] is not JsonArray filters) return null;
        foreach (var f in filters)
        {
            if (f?["Name"]?.GetValue<string>() == name && f["Values"] is JsonArray values)
                return values.Select(v => v!.GetValue<string>()).ToHashSet(StringComparer.Ordinal);
        }
        return null;
    }

    /// <summary>The records of <paramref name="records"/> that pass <paramref name="keep"/>, as indexes into it.</summary>
    private static ComputedList<T> Selected<T>(IReadOnlyList<T> records, Func<T, bool> keep)
    {
        var indexes = new List<int>();
        for (var i = 0; i < records.Count; i++)
        {
            if (keep(records[i])) indexes.Add(i);
        }
        return new ComputedList<T>(indexes.Count, n => records[indexes[n]]);
    }

    /// <summary>
    /// A listing of one item per record, honouring an id-list input (e.g. VpcIds) against the built item's id field
    /// (the records asked for are found by building each item once; the listing keeps the records, not the items).
    /// </summary>
    private static WorldListing List<T>(WorldRequest r, string listMember, IReadOnlyList<T> records, Func<T, JsonObject> build, string? idsInput = null, string? idField = null)
    {
        var wanted = idsInput is null ? null : r.Strings(idsInput);
        var selected = wanted is null
            ? records
            : Selected(records, x => idField is not null && build(x)[idField] is JsonValue v && wanted.Contains(v.GetValue<string>()));
        return WorldListing.Of(listMember, selected, x => build(x));
    }
}
