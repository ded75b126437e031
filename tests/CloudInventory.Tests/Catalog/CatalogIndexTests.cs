using CloudInventory.Aws.Models;
using CloudInventory.Azure.Models;
using CloudInventory.Catalog;
using CloudInventory.Catalog.Internal;

namespace CloudInventory.Tests.Catalog;

/// <summary>The prebuilt catalog index: committed, current, and giving the same tables as building the whole catalog.</summary>
public sealed class CatalogIndexTests
{
    private static readonly Lazy<TableCatalog> s_full = new(() => TableCatalog.Load(AwsModelBundle.Default, TableCatalog.EmbeddedSpecs(), azure: AzureModelBundle.Default));

    [Fact]
    public void The_committed_index_lists_exactly_the_tables_of_the_catalog()
    {
        var text = CatalogIndex.Render(s_full.Value.Tables);
        var path = Path.Combine(RepositoryRoot.Path, "src", "CloudInventory", "Catalog", "catalog-index.tsv");
        if (Environment.GetEnvironmentVariable("CLOUDINV_REFRESH_CATALOG_INDEX") == "1") File.WriteAllText(path, text);
        Assert.True(File.ReadAllText(path) == text,
            "src/CloudInventory/Catalog/catalog-index.tsv is stale; refresh: CLOUDINV_REFRESH_CATALOG_INDEX=1 dotnet test tests/CloudInventory.Tests --filter CatalogIndexTests");
        Assert.Equal(s_full.Value.Tables.Select(CatalogEntry.Of), CatalogIndex.Parse(text)!);
    }

    [Theory]
    [InlineData("aws_ec2_instances")]
    [InlineData("aws_ecs_services")]
    [InlineData("aws_s3_buckets")]
    public void A_curated_table_built_from_its_own_spec_file_equals_the_one_of_the_whole_catalog(string name)
    {
        var one = TableCatalog.Default.Find(name)!;
        var whole = s_full.Value.Find(name)!;
        Assert.Equal(whole.Columns.Select(c => (c.Name, c.Type.ToHiveType())), one.Columns.Select(c => (c.Name, c.Type.ToHiveType())));
        Assert.Equal(whole.PrimaryKey, one.PrimaryKey);
        Assert.Equal(CatalogEntry.Of(whole), CatalogEntry.Of(one));
    }

    [Fact]
    public void A_name_the_index_does_not_know_is_no_table_and_suggestions_come_from_the_index()
    {
        Assert.Null(TableCatalog.Default.Find("aws_ec2_instancez"));
        Assert.Equal("aws_ec2_instances", TableCatalog.Default.Suggest("aws_ec2_instancez"));
    }
}
