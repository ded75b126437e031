using CloudInventory.Catalog;

namespace CloudInventory.Tests.Catalog;

public class ColumnTypeTests
{
    private static readonly ColumnType s_tag = ColumnType.Struct([new("key", "Key", ColumnType.String), new("value", "Value", ColumnType.String)]);

    [Fact]
    public void Renders_hive_types_for_glue_and_athena()
    {
        Assert.Equal("array<struct<key:string,value:string>>", ColumnType.List(s_tag).ToHiveType());
        Assert.Equal("map<string,string>", ColumnType.StringMap.ToHiveType());
        Assert.Equal("int", ColumnType.Int32.ToHiveType());
        Assert.Equal("bigint", ColumnType.Int64.ToHiveType());
        Assert.Equal("double", ColumnType.Double.ToHiveType());
        Assert.Equal("boolean", ColumnType.Bool.ToHiveType());
        Assert.Equal("timestamp", ColumnType.Timestamp.ToHiveType());
        Assert.Equal("binary", ColumnType.Binary.ToHiveType());
        Assert.Equal("string", ColumnType.Json.ToHiveType());
        Assert.Equal("map<string,array<int>>", ColumnType.Map(ColumnType.String, ColumnType.List(ColumnType.Int32)).ToHiveType());
    }

    [Fact]
    public void Renders_duckdb_types()
    {
        Assert.Equal("STRUCT(\"key\" VARCHAR, \"value\" VARCHAR)[]", ColumnType.List(s_tag).ToDuckDbType());
        Assert.Equal("MAP(VARCHAR, VARCHAR)", ColumnType.StringMap.ToDuckDbType());
        Assert.Equal("TIMESTAMP WITH TIME ZONE", ColumnType.Timestamp.ToDuckDbType());
        Assert.Equal("BLOB", ColumnType.Binary.ToDuckDbType());
        Assert.Equal("BIGINT[]", ColumnType.List(ColumnType.Int64).ToDuckDbType());
    }

    [Fact]
    public void Compares_types_by_structure()
    {
        var a = ColumnType.List(s_tag);
        var b = ColumnType.List(ColumnType.Struct([new("key", "Key", ColumnType.String), new("value", "Value", ColumnType.String)]));
        Assert.Equal(a, b);
        Assert.NotEqual(ColumnType.Json, ColumnType.String);
        Assert.NotEqual(a, ColumnType.List(ColumnType.String));
    }

    [Fact]
    public void Refuses_an_empty_struct() =>
        Assert.Throws<ArgumentException>(() => ColumnType.Struct([]));
}
