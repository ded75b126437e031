using CloudInventory.Azure.Models;
using CloudInventory.Catalog;
using CloudInventory.Catalog.Internal;
using CloudInventory.Storage;

namespace CloudInventory.Tests.Catalog;

public sealed class AzureTableFactoryTests
{
    private static readonly IReadOnlyList<Table> s_azure = TableCatalog.Default.Of(Cloud.Azure).ToList();

    [Theory]
    [InlineData("Microsoft.Compute/virtualMachines", "azure_compute_virtual_machines")]
    [InlineData("Microsoft.Network/virtualNetworks/subnets", "azure_network_virtual_networks_subnets")]
    [InlineData("Microsoft.DBforPostgreSQL/flexibleServers", "azure_dbforpostgresql_flexible_servers")]
    [InlineData("Microsoft.Network/publicIPAddresses", "azure_network_public_ip_addresses")]
    public void Names_a_types_table_after_its_provider_and_type_in_snake_case(string type, string table) =>
        Assert.Equal(table, AzureTableFactory.NameOf(type));

    [Fact]
    public void Makes_one_table_per_modelled_resource_type_plus_the_provider_neutral_ones()
    {
        var bundle = AzureModelBundle.Default;
        var typed = s_azure.Where(t => t.Azure!.ResourceType is not null && t.Azure.ResourceGraphTable is not (AzureTableFactory.ContainersTable or AzureTableFactory.ManagementGroupsApi or AzureTableFactory.SubscriptionsApi)).ToList();
        var modelled = bundle.Types.Where(t => !t.Type.Equals(AzureTableFactory.SubscriptionType, StringComparison.OrdinalIgnoreCase)
            && !t.Type.Equals(AzureTableFactory.ResourceGroupType, StringComparison.OrdinalIgnoreCase) && !t.Type.Equals(AzureTableFactory.ManagementGroupType, StringComparison.OrdinalIgnoreCase)).ToList();
        // Every type has its table, but for a legacy spelling whose name its usual spelling already takes.
        Assert.Equal(modelled.Select(t => AzureTableFactory.NameOf(t.Type)).Distinct().Order(), typed.Select(t => t.Name).Order());
        Assert.True(typed.Count > modelled.Count * 0.95, $"{typed.Count} tables for {modelled.Count} types");
        Assert.Equal(s_azure.Count, s_azure.Select(t => t.Name).Distinct().Count());
        foreach (var name in new[] { "azure_resources", "azure_subscriptions", "azure_resource_groups", "azure_management_groups" }) Assert.NotNull(TableCatalog.Default.Find(name));
        // The types of resources are fed by its scan; those of Resource Graph's other tables are the roots of their own scans.
        Assert.All(typed, t => Assert.Equal(AzureTableFactory.GraphTableOfType.ContainsKey(t.Azure!.ResourceType!) ? null : "azure_resources", t.Parent?.Table));
        Assert.Equal("authorizationresources", TableCatalog.Default.Find("azure_authorization_role_assignments")!.Azure!.ResourceGraphTable);
        Assert.Equal("policyresources", TableCatalog.Default.Find("azure_authorization_policy_assignments")!.Azure!.ResourceGraphTable);
        var subnets = TableCatalog.Default.Find("azure_network_virtual_networks_subnets")!.Azure!;
        Assert.Equal(("Microsoft.Network/virtualNetworks", "subnets", "resources"), (subnets.NestedIn, subnets.NestedMember, subnets.ResourceGraphTable));
        Assert.Null(TableCatalog.Default.Find("azure_resource_groups")!.Parent);
        Assert.Null(TableCatalog.Default.Find("azure_subscriptions")!.Parent);
        Assert.True(s_azure.Count(t => t.Origin == TableOrigin.Curated) >= 25 + 4);
        Assert.All(AzureTableFactory.CuratedTypes, type => Assert.Equal(TableOrigin.Curated, TableCatalog.Default.Find(AzureTableFactory.NameOf(type))?.Origin));
    }

    [Fact]
    public void Flattens_properties_into_typed_columns_after_the_common_envelope()
    {
        var vm = TableCatalog.Default.Find("azure_compute_virtual_machines")!;
        string[] envelope = ["id", "name", "type", "tenant_id", "subscription_id", "resource_group", "location", "kind", "managed_by", "sku", "plan", "identity", "zones", "extended_location", "tags"];
        Assert.Equal(envelope, vm.Columns.Take(envelope.Length).Select(c => c.Name));
        Assert.Equal(ColumnType.StringMap, vm.FindColumn("tags")!.Type);
        Assert.Equal(ColumnKind.Struct, vm.FindColumn("hardware_profile")!.Type.Kind);
        Assert.Equal(ColumnType.String, vm.FindColumn("provisioning_state")!.Type);
        Assert.Equal(ColumnType.Json, vm.FindColumn("properties_extra")!.Type);
        Assert.Equal(["account_id", "region", "report_time"], vm.Columns.TakeLast(3).Select(c => c.Name));
        Assert.Equal(["id"], vm.PrimaryKey);
        Assert.Equal(Cloud.Azure, vm.Cloud);
        Assert.Equal(TableScope.Global, vm.Scope);
    }

    [Fact]
    public void Never_makes_a_column_of_a_write_only_or_sensitive_member()
    {
        var bundle = AzureModelBundle.Default;
        var sql = bundle.Find("Microsoft.Sql/servers")!.Properties!;
        Assert.False(sql.Members["administratorLoginPassword"].IsStored);
        Assert.Null(TableCatalog.Default.Find("azure_sql_servers")!.FindColumn("administrator_login_password"));
        foreach (var table in s_azure.Where(t => t.Azure!.ResourceType is not null))
        {
            var shape = bundle.Find(table.Azure!.ResourceType!)?.Properties;
            if (shape is not { Kind: AzureShapeKind.Object }) continue;
            foreach (var member in shape.Members.Values.Where(m => !m.IsStored))
            {
                Assert.DoesNotContain(table.Columns, c => c.SourcePath == "properties." + member.Name);
            }
        }
    }

    [Fact]
    public void Lays_azure_tables_out_under_azure_and_reads_the_table_back_from_the_path()
    {
        var day = new DateOnly(2026, 3, 14);
        Assert.Equal("azure/compute/virtual_machines/report_date=2026-03-14/20260314T060000Z-a1b2c3.parquet",
            StoreLayout.TableFilePath(TableCatalog.Default.Find("azure_compute_virtual_machines")!, day, "20260314T060000Z-a1b2c3"));
        Assert.Equal("azure/resources/report_date=2026-03-14/20260314T060000Z-a1b2c3-2of4.parquet",
            StoreLayout.TableFilePath(TableCatalog.Default.Find("azure_resources")!, day, "20260314T060000Z-a1b2c3", "2/4"));
        foreach (var table in s_azure)
        {
            var path = StoreLayout.TableFilePath(table, day, "20260314T060000Z-a1b2c3");
            Assert.True(StoreLayout.IsRunFile(path), path);
            Assert.Equal(table.Name, StoreLayout.TableOf(path));
        }
    }
}
