using System.Globalization;
using System.Text.Json.Nodes;
using CloudInventory.Simulator.World;

namespace CloudInventory.Simulator.Azure;

public sealed partial class SimulatedAzureWorld
{
    /// <summary>The resources of one resource group on one day.</summary>
    private sealed class Group(SimulatedAzureWorld world, SimulatedAzureSubscription subscription, string name, string location, DateOnly date)
    {
        private readonly string _key = $"{world._options.Seed}/{subscription.Id}/{name}";
        private readonly string _prefix = $"/subscriptions/{subscription.Id}/resourceGroups/{name}/providers/";
        private readonly List<JsonObject> _rows = [];

        public List<JsonObject> Build()
        {
            var vnet = Add("Microsoft.Network/virtualNetworks", "vnet-" + name[3..], null, new JsonObject
            {
                ["provisioningState"] = "Succeeded",
                ["resourceGuid"] = world.Guid(_key + "/vnet"),
                ["addressSpace"] = new JsonObject { ["addressPrefixes"] = new JsonArray("10.0.0.0/16") },
                ["enableDdosProtection"] = false,
            });
            var vnetId = (string)vnet["id"]!;
            string[] subnets = ["default", "apps"];
            var subnetArray = new JsonArray();
            foreach (var (subnet, i) in subnets.Select((s, i) => (s, i)))
            {
                var subnetProperties = new JsonObject
                {
                    ["addressPrefix"] = $"10.0.{i}.0/24",
                    ["provisioningState"] = "Succeeded",
                    ["privateEndpointNetworkPolicies"] = "Disabled",
                    ["privateLinkServiceNetworkPolicies"] = "Enabled",
                };
                if (subnet == "apps")
                {
                    // The workload subnet is behind the group's NSG and routes through its route table.
                    subnetProperties["networkSecurityGroup"] = new JsonObject { ["id"] = _prefix + "Microsoft.Network/networkSecurityGroups/nsg-" + name[3..] };
                    subnetProperties["routeTable"] = new JsonObject { ["id"] = _prefix + "Microsoft.Network/routeTables/rt-" + name[3..] };
                    subnetProperties["serviceEndpoints"] = new JsonArray(new JsonObject { ["service"] = "Microsoft.Storage", ["locations"] = new JsonArray(location) });
                }
                subnetArray.Add(new JsonObject
                {
                    ["id"] = $"{vnetId}/subnets/{subnet}",
                    ["name"] = subnet,
                    ["etag"] = $"W/\"{world.Guid($"{_key}/vnet/{subnet}/etag")}\"",
                    ["type"] = "Microsoft.Network/virtualNetworks/subnets",
                    ["properties"] = subnetProperties,
                });
            }
            vnet["properties"]!["subnets"] = subnetArray;
            var nsg = Add("Microsoft.Network/networkSecurityGroups", "nsg-" + name[3..], null, new JsonObject
            {
                ["provisioningState"] = "Succeeded",
                ["securityRules"] = new JsonArray(new JsonObject
                {
                    ["name"] = "allow-https",
                    ["properties"] = new JsonObject
                    {
                        ["protocol"] = "Tcp", ["sourcePortRange"] = "*", ["destinationPortRange"] = "443",
                        ["sourceAddressPrefix"] = "*", ["destinationAddressPrefix"] = "*",
                        ["access"] = "Allow", ["priority"] = 100, ["direction"] = "Inbound",
                    },
                }),
            });
            foreach (var m in Population.Alive(_key + "/vm", 4, 0.02, date))
            {
                AddVirtualMachine(m, $"{vnetId}/subnets/{subnets[m.Index % 2]}", (string)nsg["id"]!);
            }
            AddPlatform(vnetId + "/subnets/default");
            foreach (var m in Population.Alive(_key + "/st", 2, 0.005, date))
            {
                var account = "st" + StableHash.Hex($"{_key}/st/{m.Index}", 12);
                Add("Microsoft.Storage/storageAccounts", account, m.Born, new JsonObject
                {
                    ["provisioningState"] = "Succeeded",
                    ["creationTime"] = Time(m.Born),
                    ["primaryEndpoints"] = new JsonObject { ["blob"] = $"https://{account}.blob.core.windows.net/" },
                    ["supportsHttpsTrafficOnly"] = true,
                    ["minimumTlsVersion"] = Population.Phase($"{_key}/st/{m.Index}/tls", m.Born, date, 60, 2) == 0 ? "TLS1_2" : "TLS1_0",
                    ["allowBlobPublicAccess"] = false,
                    ["accessTier"] = "Hot",
                }, kind: "StorageV2", sku: new JsonObject { ["name"] = "Standard_LRS", ["tier"] = "Standard" });
            }
            foreach (var m in Population.Alive(_key + "/kv", 1, 0.002, date))
            {
                Add("Microsoft.KeyVault/vaults", $"kv-{name[3..]}-{m.Index}", m.Born, new JsonObject
                {
                    ["tenantId"] = world.TenantId,
                    ["sku"] = new JsonObject { ["family"] = "A", ["name"] = "standard" },
                    ["vaultUri"] = $"https://kv-{name[3..]}-{m.Index}.vault.azure.net/",
                    ["enableSoftDelete"] = true,
                    ["enableRbacAuthorization"] = true,
                    ["provisioningState"] = "Succeeded",
                });
            }
            foreach (var m in Population.Alive(_key + "/sql", 1, 0.002, date))
            {
                var server = $"sql-{name[3..]}-{m.Index}";
                var props = new JsonObject
                {
                    ["administratorLogin"] = "sqladmin",
                    ["version"] = "12.0",
                    ["state"] = "Ready",
                    ["fullyQualifiedDomainName"] = server + ".database.windows.net",
                    ["publicNetworkAccess"] = "Disabled",
                };
                if (world._options.PlantSecrets) props["administratorLoginPassword"] = "planted-secret-" + server;
                var sql = Add("Microsoft.Sql/servers", server, m.Born, props, kind: "v12.0");
                foreach (var d in Population.Alive($"{_key}/sql/{m.Index}/db", 2, 0.01, date))
                {
                    Add("Microsoft.Sql/servers/databases", $"db{d.Index}", d.Born, new JsonObject
                    {
                        ["status"] = "Online",
                        ["collation"] = "SQL_Latin1_General_CP1_CI_AS",
                        ["maxSizeBytes"] = 34359738368L,
                        ["creationDate"] = Time(d.Born),
                        ["databaseId"] = world.Guid($"{_key}/sql/{m.Index}/db/{d.Index}"),
                    }, kind: "v12.0,user", sku: new JsonObject { ["name"] = "GP_S_Gen5", ["tier"] = "GeneralPurpose", ["capacity"] = 2 }, managedBy: null, parent: (string)sql["id"]!);
                }
            }
            foreach (var m in Population.Alive(_key + "/aks", 1, 0.002, date))
            {
                Add("Microsoft.ContainerService/managedClusters", $"aks-{name[3..]}-{m.Index}", m.Born, new JsonObject
                {
                    ["provisioningState"] = "Succeeded",
                    ["kubernetesVersion"] = Population.Phase($"{_key}/aks/{m.Index}/k8s", m.Born, date, 90, 3) switch { 0 => "1.30.6", 1 => "1.31.2", _ => "1.32.0" },
                    ["dnsPrefix"] = $"aks-{name[3..]}",
                    ["agentPoolProfiles"] = new JsonArray(new JsonObject
                    {
                        ["name"] = "system", ["count"] = 3, ["vmSize"] = "Standard_D4s_v5", ["mode"] = "System",
                        ["vnetSubnetID"] = $"{vnetId}/subnets/apps",
                    }),
                    ["enableRBAC"] = true,
                }, identity: new JsonObject { ["type"] = "SystemAssigned", ["principalId"] = world.Guid($"{_key}/aks/{m.Index}/principal"), ["tenantId"] = world.TenantId },
                sku: new JsonObject { ["name"] = "Base", ["tier"] = "Free" });
            }
            foreach (var m in Population.Alive(_key + "/plan", 1, 0.002, date))
            {
                var plan = Add("Microsoft.Web/serverFarms", $"plan-{name[3..]}-{m.Index}", m.Born, new JsonObject
                {
                    ["status"] = "Ready", ["numberOfSites"] = 2, ["reserved"] = true, ["provisioningState"] = "Succeeded",
                }, kind: "linux", sku: new JsonObject { ["name"] = "P1v3", ["tier"] = "PremiumV3", ["capacity"] = 1 });
                foreach (var s in Population.Alive($"{_key}/plan/{m.Index}/site", 2, 0.01, date))
                {
                    var site = $"app-{name[3..]}-{m.Index}-{s.Index}";
                    Add("Microsoft.Web/sites", site, s.Born, new JsonObject
                    {
                        ["state"] = "Running",
                        ["serverFarmId"] = (string)plan["id"]!,
                        ["defaultHostName"] = site + ".azurewebsites.net",
                        ["httpsOnly"] = true,
                        ["enabled"] = true,
                    }, kind: s.Index % 2 == 0 ? "app,linux" : "functionapp,linux");
                }
            }
            return _rows;
        }

        // The other curated types Resource Graph's resources table holds: a scale set, snapshots, a route table, a load
        // balancer, an application gateway, a private endpoint, a Cosmos DB account, a container registry and a Log
        // Analytics workspace, each in some groups (keyed by the group, so the world stays a function of seed and day).
        private void AddPlatform(string subnetId)
        {
            var shortName = name[3..];
            foreach (var m in Population.Alive(_key + "/vmss", 1, 0.01, date))
            {
                Add("Microsoft.Compute/virtualMachineScaleSets", $"vmss-{shortName}-{m.Index}", m.Born, new JsonObject
                {
                    ["provisioningState"] = "Succeeded",
                    ["uniqueId"] = world.Guid($"{_key}/vmss/{m.Index}"),
                    ["orchestrationMode"] = "Uniform",
                    ["upgradePolicy"] = new JsonObject { ["mode"] = "Manual" },
                    ["overprovision"] = false,
                }, sku: new JsonObject { ["name"] = "Standard_D2s_v5", ["tier"] = "Standard", ["capacity"] = 1 + (m.Index % 3) });
            }
            foreach (var m in Population.Alive(_key + "/snap", 2, 0.05, date))
            {
                Add("Microsoft.Compute/snapshots", $"snap-{shortName}-{m.Index:000}", m.Born, new JsonObject
                {
                    ["provisioningState"] = "Succeeded",
                    ["diskSizeGB"] = 64,
                    ["incremental"] = true,
                    ["timeCreated"] = Time(m.Born),
                    ["creationData"] = new JsonObject { ["createOption"] = "Copy", ["sourceResourceId"] = $"{_prefix}Microsoft.Compute/disks/vm-{shortName}-{m.Index:000}_OsDisk_1" },
                }, sku: new JsonObject { ["name"] = "Standard_LRS", ["tier"] = "Standard" });
            }
            Add("Microsoft.Network/routeTables", "rt-" + shortName, null, new JsonObject
            {
                ["provisioningState"] = "Succeeded",
                ["disableBgpRoutePropagation"] = false,
                ["routes"] = new JsonArray(new JsonObject
                {
                    ["name"] = "to-firewall",
                    ["properties"] = new JsonObject { ["addressPrefix"] = "0.0.0.0/0", ["nextHopType"] = "VirtualAppliance", ["nextHopIpAddress"] = "10.0.255.4" },
                }),
            });
            foreach (var m in Population.Alive(_key + "/lb", 1, 0.01, date))
            {
                Add("Microsoft.Network/loadBalancers", $"lb-{shortName}-{m.Index}", m.Born, new JsonObject
                {
                    ["provisioningState"] = "Succeeded",
                    ["resourceGuid"] = world.Guid($"{_key}/lb/{m.Index}"),
                    ["frontendIPConfigurations"] = new JsonArray(new JsonObject
                    {
                        ["name"] = "frontend",
                        ["properties"] = new JsonObject { ["privateIPAllocationMethod"] = "Dynamic", ["subnet"] = new JsonObject { ["id"] = subnetId } },
                    }),
                    ["backendAddressPools"] = new JsonArray(new JsonObject { ["name"] = "backend" }),
                }, sku: new JsonObject { ["name"] = "Standard", ["tier"] = "Regional" });
            }
            if (StableHash.Unit(_key + "/agw") < 0.5)
            {
                Add("Microsoft.Network/applicationGateways", "agw-" + shortName, null, new JsonObject
                {
                    ["provisioningState"] = "Succeeded",
                    ["operationalState"] = "Running",
                    ["sku"] = new JsonObject { ["name"] = "Standard_v2", ["tier"] = "Standard_v2", ["capacity"] = 2 },
                    ["enableHttp2"] = true,
                });
            }
            var storage = _prefix + "Microsoft.Storage/storageAccounts/st" + StableHash.Hex($"{_key}/st/0", 12);
            Add("Microsoft.Network/privateEndpoints", "pe-" + shortName, null, new JsonObject
            {
                ["provisioningState"] = "Succeeded",
                ["subnet"] = new JsonObject { ["id"] = subnetId },
                ["privateLinkServiceConnections"] = new JsonArray(new JsonObject
                {
                    ["name"] = "blob",
                    ["properties"] = new JsonObject { ["privateLinkServiceId"] = storage, ["groupIds"] = new JsonArray("blob") },
                }),
            });
            if (StableHash.Unit(_key + "/cosmos") < 0.5)
            {
                var account = $"cosmos-{shortName}";
                Add("Microsoft.DocumentDB/databaseAccounts", account, null, new JsonObject
                {
                    ["provisioningState"] = "Succeeded",
                    ["documentEndpoint"] = $"https://{account}.documents.azure.com:443/",
                    ["databaseAccountOfferType"] = "Standard",
                    ["consistencyPolicy"] = new JsonObject { ["defaultConsistencyLevel"] = "Session" },
                    ["enableAutomaticFailover"] = false,
                }, kind: "GlobalDocumentDB");
            }
            var registry = "cr" + StableHash.Hex(_key + "/cr", 10);
            Add("Microsoft.ContainerRegistry/registries", registry, null, new JsonObject
            {
                ["provisioningState"] = "Succeeded",
                ["loginServer"] = registry + ".azurecr.io",
                ["adminUserEnabled"] = false,
                ["creationDate"] = "2025-06-01T08:00:00.0000000Z",
            }, sku: new JsonObject { ["name"] = "Basic", ["tier"] = "Basic" });
            Add("Microsoft.OperationalInsights/workspaces", "log-" + shortName, null, new JsonObject
            {
                ["provisioningState"] = "Succeeded",
                ["customerId"] = world.Guid(_key + "/log"),
                ["sku"] = new JsonObject { ["name"] = "PerGB2018" },
                ["retentionInDays"] = 30,
            });
        }

        private void AddVirtualMachine(Population.Member m, string subnetId, string nsgId)
        {
            var vm = $"vm-{name[3..]}-{m.Index:000}";
            var vmId = _prefix + "Microsoft.Compute/virtualMachines/" + vm;
            var zone = (1 + StableHash.Range($"{_key}/vm/{m.Index}/zone", 0, 3)).ToString(CultureInfo.InvariantCulture);
            var nicProps = new JsonObject
            {
                ["provisioningState"] = "Succeeded",
                ["ipConfigurations"] = new JsonArray(new JsonObject
                {
                    ["name"] = "ipconfig1",
                    ["properties"] = new JsonObject
                    {
                        ["privateIPAddress"] = $"10.0.{m.Index % 2}.{4 + (m.Index % 250)}",
                        ["privateIPAllocationMethod"] = "Dynamic",
                        ["subnet"] = new JsonObject { ["id"] = subnetId },
                    },
                }),
                ["networkSecurityGroup"] = new JsonObject { ["id"] = nsgId },
                ["virtualMachine"] = new JsonObject { ["id"] = vmId },
                ["primary"] = true,
            };
            if (StableHash.Unit($"{_key}/vm/{m.Index}/pip") < 0.3)
            {
                var pip = Add("Microsoft.Network/publicIPAddresses", vm + "-pip", m.Born, new JsonObject
                {
                    ["provisioningState"] = "Succeeded",
                    ["ipAddress"] = $"20.{StableHash.Range(vm + "a", 1, 250)}.{StableHash.Range(vm + "b", 1, 250)}.{StableHash.Range(vm + "c", 1, 250)}",
                    ["publicIPAllocationMethod"] = "Static",
                    ["publicIPAddressVersion"] = "IPv4",
                }, sku: new JsonObject { ["name"] = "Standard", ["tier"] = "Regional" }, zones: zone);
                ((JsonObject)nicProps["ipConfigurations"]![0]!["properties"]!)["publicIPAddress"] = new JsonObject { ["id"] = (string)pip["id"]! };
            }
            var nic = Add("Microsoft.Network/networkInterfaces", vm + "-nic", m.Born, nicProps);
            var disk = Add("Microsoft.Compute/disks", vm + "_OsDisk_1", m.Born, new JsonObject
            {
                ["diskSizeGB"] = 64 << StableHash.Range($"{_key}/vm/{m.Index}/disk", 0, 3),
                ["diskState"] = "Attached",
                ["osType"] = "Linux",
                ["timeCreated"] = Time(m.Born),
                ["provisioningState"] = "Succeeded",
            }, sku: new JsonObject { ["name"] = "Premium_LRS", ["tier"] = "Premium" }, managedBy: vmId, zones: zone);
            var osProfile = new JsonObject { ["computerName"] = vm, ["adminUsername"] = "azureuser" };
            if (world._options.PlantSecrets) osProfile["adminPassword"] = "planted-secret-" + vm;
            string[] sizes = ["Standard_B2s", "Standard_D2s_v5", "Standard_D4s_v5", "Standard_E8s_v5"];
            Add("Microsoft.Compute/virtualMachines", vm, m.Born, new JsonObject
            {
                ["vmId"] = world.Guid($"{_key}/vm/{m.Index}"),
                ["hardwareProfile"] = new JsonObject
                {
                    ["vmSize"] = sizes[Population.Phase($"{_key}/vm/{m.Index}/size", m.Born, date, 45, sizes.Length)],
                },
                ["storageProfile"] = new JsonObject
                {
                    ["imageReference"] = new JsonObject { ["publisher"] = "Canonical", ["offer"] = "ubuntu-24_04-lts", ["sku"] = "server", ["version"] = "latest" },
                    ["osDisk"] = new JsonObject
                    {
                        ["osType"] = "Linux", ["name"] = (string)disk["name"]!, ["createOption"] = "FromImage",
                        ["managedDisk"] = new JsonObject { ["id"] = (string)disk["id"]! },
                    },
                },
                ["osProfile"] = osProfile,
                ["networkProfile"] = new JsonObject
                {
                    ["networkInterfaces"] = new JsonArray(new JsonObject { ["id"] = (string)nic["id"]! }),
                },
                ["provisioningState"] = "Succeeded",
                ["timeCreated"] = Time(m.Born),
                ["extended"] = new JsonObject
                {
                    ["instanceView"] = new JsonObject
                    {
                        ["powerState"] = new JsonObject
                        {
                            ["code"] = Population.Phase($"{_key}/vm/{m.Index}/power", m.Born, date, 10, 4) == 3 ? "PowerState/deallocated" : "PowerState/running",
                        },
                    },
                },
            }, identity: StableHash.Unit($"{_key}/vm/{m.Index}/mi") < 0.5 ? null : new JsonObject
            {
                ["type"] = "SystemAssigned",
                ["principalId"] = world.Guid($"{_key}/vm/{m.Index}/principal"),
                ["tenantId"] = world.TenantId,
            }, zones: zone);
        }

        private JsonObject Add(string type, string resourceName, DateOnly? born, JsonObject properties,
            string kind = "", JsonObject? sku = null, string? managedBy = null, JsonObject? identity = null, string? zones = null, string? parent = null)
        {
            var id = parent is null
                ? _prefix + type + "/" + resourceName
                : parent + "/" + type[(type.LastIndexOf('/') + 1)..] + "/" + resourceName;
            var row = new JsonObject
            {
                ["id"] = id,
                ["name"] = resourceName,
                ["type"] = type.ToLowerInvariant(),
                ["tenantId"] = world.TenantId,
                ["kind"] = kind,
                ["location"] = location,
                ["resourceGroup"] = name,
                ["subscriptionId"] = subscription.Id,
                ["managedBy"] = managedBy ?? "",
                ["sku"] = sku,
                ["plan"] = null,
                ["properties"] = properties,
                ["tags"] = Tags($"{_key}/{resourceName}"),
                ["identity"] = identity,
                ["zones"] = zones is null ? null : new JsonArray(zones),
                ["extendedLocation"] = null,
            };
            if (born is { } b) ((JsonObject)row["tags"]!)["created"] = b.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
            _rows.Add(row);
            return row;
        }

        private static string Time(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) + "T08:00:00.0000000Z";
    }
}
