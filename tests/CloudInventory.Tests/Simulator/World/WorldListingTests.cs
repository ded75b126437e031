using System.Text.Json.Nodes;
using CloudInventory.Simulator.World;

namespace CloudInventory.Tests.Simulator.World;

public class WorldListingTests
{
    [Fact]
    public void Builds_only_the_items_of_the_asked_range()
    {
        var built = new List<int>();
        var listing = WorldListing.Of("Items", Enumerable.Range(0, 100).ToList(), i =>
        {
            lock (built) built.Add(i);
            return new JsonObject { ["n"] = i };
        });
        var page = listing.Build(40, 43);
        Assert.Equal(100, listing.Count);
        Assert.Equal([40, 41, 42], built);
        Assert.Equal("""{"Items":[{"n":40},{"n":41},{"n":42}]}""", page.ToJsonString());
    }

    [Fact]
    public void The_whole_output_keeps_the_list_where_the_shell_has_it()
    {
        var shell = new JsonObject { ["Before"] = 1, ["List"] = new JsonObject { ["Marker"] = "m", ["Items"] = null, ["After"] = true }, ["Last"] = "x" };
        var listing = new WorldListing(shell, "List.Items", 2, i => JsonValue.Create("item-" + i));
        Assert.Equal("""{"Before":1,"List":{"Marker":"m","Items":["item-0","item-1"],"After":true},"Last":"x"}""", listing.ToJson().ToJsonString());
        Assert.Equal("""{"Before":1,"List":{"Marker":"m","Items":[],"After":true},"Last":"x"}""", listing.Build(1, 1).ToJsonString());
    }

    [Fact]
    public void A_split_output_gives_its_items_as_copies_that_pages_may_change()
    {
        var output = new JsonObject { ["Things"] = new JsonArray(new JsonObject { ["Id"] = "a" }, new JsonObject { ["Id"] = "b" }), ["Owner"] = "me" };
        var listing = WorldListing.Split(output, "Things")!;
        var first = listing.Build(0, 2);
        first["Things"]![0]!["Id"] = "changed";
        first["Owner"] = "someone else";
        Assert.Equal("""{"Things":[{"Id":"a"},{"Id":"b"}],"Owner":"me"}""", listing.ToJson().ToJsonString());
        Assert.Equal("""{"Things":[{"Id":"b"}],"Owner":"me"}""", listing.Build(1, 2).ToJsonString());
    }

    [Fact]
    public void An_output_without_the_list_is_not_split()
    {
        Assert.Null(WorldListing.Split(new JsonObject { ["Things"] = "not a list" }, "Things"));
        Assert.Null(WorldListing.Split(new JsonObject(), "Things"));
    }

    [Fact]
    public void A_range_outside_the_list_is_refused()
    {
        var listing = WorldListing.Of("Items", new[] { 1, 2 }, i => JsonValue.Create(i));
        Assert.Throws<ArgumentOutOfRangeException>(() => listing.Build(0, 3));
        Assert.Throws<ArgumentOutOfRangeException>(() => listing.Build(2, 1));
    }
}
