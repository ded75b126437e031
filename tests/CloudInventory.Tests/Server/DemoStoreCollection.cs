namespace CloudInventory.Tests.Server;

/// <summary>The dashboard tests share one demo store, one server and one browser.</summary>
[CollectionDefinition(Name)]
public sealed class DemoStoreCollection : ICollectionFixture<DemoStoreFixture>, ICollectionFixture<BrowserFixture>
{
    public const string Name = "dashboard";
}
