using System.Text.Json.Nodes;
using CloudInventory.Catalog;
using CloudInventory.Storage;
using Column = CloudInventory.Catalog.Column;
using Table = CloudInventory.Catalog.Table;

namespace CloudInventory.Tests.Storage;

public class ParquetSinkTests
{
    private static Column Col(string name, ColumnType type, ColumnOrigin origin = ColumnOrigin.Api) => new(name, type, origin, null);

    private static readonly IReadOnlyList<Column> InstanceColumns =
    [
        Col("instance_id", ColumnType.String),
        Col("cpu_count", ColumnType.Int32),
        Col("memory_bytes", ColumnType.Int64),
        Col("price", ColumnType.Double),
        Col("ebs_optimized", ColumnType.Bool),
        Col("launch_time", ColumnType.Timestamp),
        Col("user_data", ColumnType.Binary),
        Col("policy", ColumnType.Json),
        Col("placement", ColumnType.Struct([
            new StructField("availability_zone", "AvailabilityZone", ColumnType.String),
            new StructField("group_id", "GroupId", ColumnType.Int32)])),
        Col("security_groups", ColumnType.List(ColumnType.Struct([
            new StructField("group_id", "GroupId", ColumnType.String),
            new StructField("ports", "Ports", ColumnType.List(ColumnType.Int32))]))),
        Col("tags", ColumnType.StringMap),
        Col("account_id", ColumnType.String, ColumnOrigin.System),
        Col("region", ColumnType.String, ColumnOrigin.System),
        Col("report_time", ColumnType.Timestamp, ColumnOrigin.System),
    ];

    private static readonly DateTimeOffset ReportTime = new(2026, 11, 25, 6, 0, 0, 250, TimeSpan.Zero);

    private static JsonNode?[] Instance(int i) =>
    [
        JsonValue.Create($"i-{i:x8}"),
        JsonValue.Create(i % 16),
        JsonValue.Create((long)i << 30),
        i % 5 == 0 ? null : JsonValue.Create(i / 8.0),
        JsonValue.Create(i % 2 == 0),
        JsonValue.Create(new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero).AddSeconds(i).AddMilliseconds(i % 1000)),
        JsonValue.Create(new[] { (byte)i, (byte)(i >> 8), (byte)0 }),
        new JsonObject { ["Version"] = "2012-10-17", ["N"] = i },
        new JsonObject { ["AvailabilityZone"] = $"eu-west-1{(char)('a' + i % 3)}", ["GroupId"] = i % 4 == 0 ? null : i },
        i % 7 == 0 ? null : new JsonArray(
            new JsonObject { ["GroupId"] = $"sg-{i}", ["Ports"] = new JsonArray(22, 443) },
            new JsonObject { ["GroupId"] = $"sg-{i + 1}", ["Ports"] = new JsonArray() }),
        new JsonObject { ["Name"] = $"web-{i}", ["env"] = i % 2 == 0 ? "prod" : null },
        JsonValue.Create("123456789012"),
        JsonValue.Create("eu-west-1"),
        JsonValue.Create(ReportTime),
    ];

    [Fact]
    public void Writes_values_that_duckdb_reads_back_with_hive_partitioning()
    {
        using var dir = new TestDirectory();
        var partition = dir.Combine("aws", "ec2", "instances", "report_date=2026-11-25");
        Directory.CreateDirectory(partition);
        var path = Path.Combine(partition, "20261125T060000Z-abcdef.parquet");
        using (var sink = new ParquetSink(InstanceColumns, path, new ParquetSinkOptions { RowGroupRows = 64 }))
        {
            for (var i = 0; i < 200; i++) sink.Append(Instance(i));
            sink.Complete();
            Assert.Equal(200, sink.RowCount);
            Assert.Equal(4, sink.RowGroupCount);
            Assert.Equal(0, sink.RejectedValues);
        }

        var glob = DuckDbReader.Quote(dir.Combine("aws", "ec2", "instances", "*", "*.parquet"));
        var rows = DuckDbReader.Query($"""
            SELECT instance_id, cpu_count, memory_bytes, price, ebs_optimized, epoch_ms(launch_time), hex(user_data), policy,
                   placement.availability_zone, placement.group_id, to_json(security_groups)::VARCHAR, to_json(tags)::VARCHAR,
                   account_id, region, epoch_ms(report_time), report_date::VARCHAR, typeof(launch_time), typeof(tags)
            FROM read_parquet({glob}, hive_partitioning = true)
            ORDER BY instance_id
            """);
        Assert.Equal(200, rows.Count);
        for (var i = 0; i < 200; i++)
        {
            var row = rows[i];
            Assert.Equal($"i-{i:x8}", row[0]);
            Assert.Equal(i % 16, row[1]);
            Assert.Equal((long)i << 30, row[2]);
            Assert.Equal(i % 5 == 0 ? null : i / 8.0, row[3]);
            Assert.Equal(i % 2 == 0, row[4]);
            Assert.Equal(new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero).AddSeconds(i).AddMilliseconds(i % 1000).ToUnixTimeMilliseconds(), row[5]);
            Assert.Equal(Convert.ToHexString([(byte)i, (byte)(i >> 8), 0]), row[6]);
            Assert.Equal($$"""{"Version":"2012-10-17","N":{{i}}}""", row[7]);
            Assert.Equal($"eu-west-1{(char)('a' + i % 3)}", row[8]);
            Assert.Equal(i % 4 == 0 ? null : i, row[9]);
            Assert.Equal(i % 7 == 0 ? null : $$"""[{"group_id":"sg-{{i}}","ports":[22,443]},{"group_id":"sg-{{i + 1}}","ports":[]}]""", row[10]);
            Assert.Equal(i % 2 == 0 ? $$"""{"Name":"web-{{i}}","env":"prod"}""" : $$"""{"Name":"web-{{i}}","env":null}""", row[11]);
            Assert.Equal("123456789012", row[12]);
            Assert.Equal("eu-west-1", row[13]);
            Assert.Equal(ReportTime.ToUnixTimeMilliseconds(), row[14]);
            Assert.Equal("2026-11-25", row[15]);
            Assert.Equal("TIMESTAMP WITH TIME ZONE", row[16]);
            Assert.Equal("MAP(VARCHAR, VARCHAR)", row[17]);
        }
    }

    [Fact]
    public void Stores_the_table_columns_and_not_report_date()
    {
        using var dir = new TestDirectory();
        var path = dir.Combine("run.parquet");
        using (var sink = new ParquetSink(InstanceColumns, path))
        {
            sink.Append(Instance(1));
            sink.Complete();
        }
        var columns = DuckDbReader.Query($"DESCRIBE SELECT * FROM read_parquet({DuckDbReader.Quote(path)}, hive_partitioning = false)");
        Assert.Equal(InstanceColumns.Select(c => c.Name), columns.Select(c => (string)c[0]!));
        // DESCRIBE leaves simple field names unquoted.
        Assert.Equal(InstanceColumns.Select(c => c.Type.ToDuckDbType().Replace("\"", "", StringComparison.Ordinal)), columns.Select(c => (string)c[1]!));
        Assert.Throws<ArgumentException>(() => new ParquetSink([.. InstanceColumns, Table.ReportDate], dir.Combine("bad.parquet")));
    }

    [Fact]
    public void Cuts_row_groups_by_row_count_and_by_bytes_and_compresses_with_zstd()
    {
        using var dir = new TestDirectory();
        var byRows = dir.Combine("rows.parquet");
        using (var sink = new ParquetSink(InstanceColumns, byRows, new ParquetSinkOptions { RowGroupRows = 10 }))
        {
            for (var i = 0; i < 35; i++) sink.Append(Instance(i));
            sink.Complete();
        }
        var groups = DuckDbReader.Query($"SELECT row_group_id, max(row_group_num_rows), min(compression) FROM parquet_metadata({DuckDbReader.Quote(byRows)}) GROUP BY ALL ORDER BY 1");
        Assert.Equal([10L, 10L, 10L, 5L], groups.Select(g => Convert.ToInt64(g[1], System.Globalization.CultureInfo.InvariantCulture)));
        Assert.All(groups, g => Assert.Equal("ZSTD", g[2]));

        var byBytes = dir.Combine("bytes.parquet");
        using (var sink = new ParquetSink(InstanceColumns, byBytes, new ParquetSinkOptions { RowGroupBytes = 2048 }))
        {
            for (var i = 0; i < 100; i++) sink.Append(Instance(i));
            sink.Complete();
            Assert.True(sink.RowGroupCount > 5, $"{sink.RowGroupCount} row groups");
        }
        Assert.Equal(100L, DuckDbReader.Scalar($"SELECT count(*) FROM read_parquet({DuckDbReader.Quote(byBytes)})"));
    }

    [Fact]
    public void Appends_record_batches_built_elsewhere_into_row_groups_of_the_configured_size()
    {
        using var dir = new TestDirectory();
        var path = dir.Combine("batches.parquet");
        var rows = new TableRowBuffer(InstanceColumns);
        using (var sink = new ParquetSink(InstanceColumns, path, new ParquetSinkOptions { RowGroupRows = 100 }))
        {
            // 25 batches of 10 rows (as work units hand them over): 3 row groups, not 25.
            for (var b = 0; b < 25; b++)
            {
                for (var i = 0; i < 10; i++) rows.Append(Instance(b * 10 + i));
                using var batch = rows.Flush(share: true);
                sink.Append(batch);
            }
            sink.Append(Instance(250));
            sink.Complete();
            Assert.Equal(251, sink.RowCount);
            Assert.Equal(3, sink.RowGroupCount);
        }
        var groups = DuckDbReader.Query($"SELECT row_group_id, max(row_group_num_rows) FROM parquet_metadata({DuckDbReader.Quote(path)}) GROUP BY ALL ORDER BY 1");
        Assert.Equal([100L, 100L, 51L], groups.Select(g => Convert.ToInt64(g[1], System.Globalization.CultureInfo.InvariantCulture)));
        var ids = DuckDbReader.Query($"SELECT instance_id, placement.availability_zone, to_json(security_groups)::VARCHAR FROM read_parquet({DuckDbReader.Quote(path)}) ORDER BY instance_id");
        Assert.Equal(Enumerable.Range(0, 251).Select(i => $"i-{i:x8}"), ids.Select(r => (string)r[0]!));
        Assert.Equal("eu-west-1c", ids[5][1]);
        Assert.Equal("""[{"group_id":"sg-5","ports":[22,443]},{"group_id":"sg-6","ports":[]}]""", ids[5][2]);
    }

    [Fact]
    public void Refuses_a_batch_of_another_schema()
    {
        using var dir = new TestDirectory();
        using var sink = new ParquetSink(InstanceColumns, dir.Combine("schema.parquet"));
        var other = new TableRowBuffer([Col("name", ColumnType.String)]);
        other.Append([JsonValue.Create("x")]);
        using var batch = other.Flush();
        Assert.Throws<ArgumentException>(() => sink.Append(batch));
        Assert.Equal(0, sink.RowCount);
    }

    [Fact]
    public void Keeps_min_max_statistics_for_top_level_scalar_columns_only()
    {
        using var dir = new TestDirectory();
        var path = dir.Combine("stats.parquet");
        using (var sink = new ParquetSink(InstanceColumns, path))
        {
            for (var i = 0; i < 10; i++) sink.Append(Instance(i));
            sink.Complete();
        }
        var stats = DuckDbReader.Query($"SELECT path_in_schema, stats_min_value, stats_max_value FROM parquet_metadata({DuckDbReader.Quote(path)})")
            .ToDictionary(r => (string)r[0]!, r => (Min: r[1] as string, Max: r[2] as string));
        Assert.Equal(("i-00000000", "i-00000009"), stats["instance_id"]);
        Assert.NotNull(stats["account_id"].Min);
        // Nested leaves carry none: the writer keeps every row group's metadata until the file is closed.
        Assert.All(stats.Where(s => s.Key.Contains(',', StringComparison.Ordinal)), s => Assert.Null(s.Value.Min));
    }

    [Fact]
    public void Writes_a_valid_file_with_no_rows()
    {
        using var dir = new TestDirectory();
        var path = dir.Combine("empty.parquet");
        using (var sink = new ParquetSink(InstanceColumns, path))
        {
            sink.Complete();
        }
        Assert.Equal(0L, DuckDbReader.Scalar($"SELECT count(*) FROM read_parquet({DuckDbReader.Quote(path)})"));
    }

    [Fact]
    public void Deletes_an_unfinished_file_when_disposed()
    {
        using var dir = new TestDirectory();
        var path = dir.Combine("killed.parquet");
        using (var sink = new ParquetSink(InstanceColumns, path, new ParquetSinkOptions { RowGroupRows = 2, BatchRows = 1, PartRowGroups = 1 }))
        {
            for (var i = 0; i < 5; i++) sink.Append(Instance(i));
            // Three parts so far (row groups of 2 rows, one per part); the file itself appears only when complete.
            Assert.Equal(3, Directory.GetFiles(dir.Path).Length);
            Assert.False(File.Exists(path));
        }
        Assert.Empty(Directory.GetFiles(dir.Path));
    }

    [Fact]
    public void Flushing_a_row_group_closes_its_part_and_later_rows_start_another()
    {
        using var dir = new TestDirectory();
        var path = dir.Combine("flushed.parquet");
        var rows = new TableRowBuffer(InstanceColumns);
        using (var sink = new ParquetSink(InstanceColumns, path))
        {
            for (var b = 0; b < 3; b++)
            {
                for (var i = 0; i < 4; i++) rows.Append(Instance(b * 4 + i));
                using (var batch = rows.Flush(share: true)) sink.Append(batch);
                Assert.True(sink.HasOpenPart);
                sink.FlushRowGroup();
                // Written out and closed: the native writer holds nothing for this file until its next rows.
                Assert.False(sink.HasOpenPart);
                Assert.Equal(b + 1, Directory.GetFiles(dir.Path).Length);
            }
            sink.Complete();
            Assert.Equal(3, sink.RowGroupCount);
        }
        Assert.Equal([path], Directory.GetFiles(dir.Path));
        var ids = DuckDbReader.Query($"SELECT instance_id FROM read_parquet({DuckDbReader.Quote(path)})");
        Assert.Equal(Enumerable.Range(0, 12).Select(i => $"i-{i:x8}"), ids.Select(r => (string)r[0]!));
    }

    [Fact]
    public void A_file_written_in_parts_is_one_file_with_every_row_group_in_order()
    {
        using var dir = new TestDirectory();
        var path = dir.Combine("parts.parquet");
        using (var sink = new ParquetSink(InstanceColumns, path, new ParquetSinkOptions { RowGroupRows = 10, PartRowGroups = 3 }))
        {
            for (var i = 0; i < 95; i++) sink.Append(Instance(i));
            sink.Complete();
            Assert.Equal(10, sink.RowGroupCount);
        }
        // Parts of 3, 3, 3 and 1 row groups joined; no part is left behind.
        Assert.Equal([path], Directory.GetFiles(dir.Path));
        var groups = DuckDbReader.Query($"SELECT row_group_id, max(row_group_num_rows) FROM parquet_metadata({DuckDbReader.Quote(path)}) GROUP BY ALL ORDER BY 1");
        Assert.Equal([.. Enumerable.Repeat(10L, 9), 5L], groups.Select(g => Convert.ToInt64(g[1], System.Globalization.CultureInfo.InvariantCulture)));
        var ids = DuckDbReader.Query($"SELECT instance_id, to_json(security_groups)::VARCHAR FROM read_parquet({DuckDbReader.Quote(path)})");
        Assert.Equal(Enumerable.Range(0, 95).Select(i => $"i-{i:x8}"), ids.Select(r => (string)r[0]!));
        Assert.Equal("""[{"group_id":"sg-5","ports":[22,443]},{"group_id":"sg-6","ports":[]}]""", ids[5][1]);
    }

    public static TheoryData<string> CuratedTables()
    {
        var data = new TheoryData<string>();
        foreach (var table in TableCatalog.Default.Curated) data.Add(table.Name);
        return data;
    }

    [Theory]
    [MemberData(nameof(CuratedTables))]
    public void Writes_every_curated_table_so_duckdb_reads_every_column(string name)
    {
        var table = TableCatalog.Default.Find(name)!;
        using var dir = new TestDirectory();
        var path = dir.Combine("t.parquet");
        using (var sink = new ParquetSink(table, path))
        {
            for (var i = 0; i < 3; i++) sink.Append(SampleValues.Row(table.Columns, i));
            sink.Complete();
            Assert.Equal(0, sink.RejectedValues);
        }
        var file = DuckDbReader.Quote(path);
        var described = DuckDbReader.Query($"DESCRIBE SELECT * FROM read_parquet({file})");
        Assert.Equal(table.Columns.Select(c => c.Name), described.Select(r => (string)r[0]!));
        var counts = DuckDbReader.Query($"SELECT {string.Join(", ", table.Columns.Select(c => $"count(\"{c.Name}\")"))} FROM read_parquet({file})").Single();
        Assert.All(counts, c => Assert.Equal(3L, c));
    }
}
