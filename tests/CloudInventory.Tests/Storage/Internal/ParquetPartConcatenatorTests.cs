using System.Buffers.Binary;
using System.Globalization;
using System.Text.Json.Nodes;
using CloudInventory.Catalog;
using CloudInventory.Storage;
using CloudInventory.Storage.Internal;
using CloudInventory.Tests.Storage;
using ParquetSharp;
using Column = CloudInventory.Catalog.Column;

namespace CloudInventory.Tests.Storage.Internal;

public class ParquetPartConcatenatorTests
{
    private static Column Col(string name, ColumnType type) => new(name, type, ColumnOrigin.Api, null);

    // A small table with nested values, nulls, and a column of long distinct strings that overflows the dictionary
    // page of each row group, so its chunks mix dictionary and plain pages.
    private static readonly IReadOnlyList<Column> SimpleColumns =
    [
        Col("id", ColumnType.String),
        Col("n", ColumnType.Int64),
        Col("ok", ColumnType.Bool),
        Col("price", ColumnType.Double),
        Col("at", ColumnType.Timestamp),
        Col("zone", ColumnType.String),
        Col("blob", ColumnType.String),
        Col("placement", ColumnType.Struct([
            new StructField("availability_zone", "AvailabilityZone", ColumnType.String),
            new StructField("group_id", "GroupId", ColumnType.Int32)])),
        Col("ports", ColumnType.List(ColumnType.Int32)),
        Col("tags", ColumnType.StringMap),
    ];

    private static JsonNode?[] SimpleRow(int i) =>
    [
        JsonValue.Create($"r{i:D6}"),
        i % 9 == 0 ? null : JsonValue.Create((long)i * 1_000_003),
        JsonValue.Create(i % 3 == 0),
        i % 5 == 0 ? null : JsonValue.Create(i / 8.0),
        JsonValue.Create(DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_000L + i * 1000L)),
        JsonValue.Create($"eu-west-1{(char)('a' + i % 3)}"),
        i % 11 == 0 ? null : JsonValue.Create(Blob(i)),
        i % 7 == 0 ? null : new JsonObject { ["AvailabilityZone"] = $"az-{i % 4}", ["GroupId"] = i % 4 == 0 ? null : i },
        i % 6 == 0 ? null : new JsonArray(22, i % 1000),
        new JsonObject { ["Name"] = $"web-{i}", ["env"] = i % 2 == 0 ? "prod" : null },
    ];

    // ~2 KB of text that zstd cannot shrink much and no two rows share.
    private static string Blob(int i)
    {
        var random = new Random(i);
        var chars = new char[2048];
        for (var c = 0; c < chars.Length; c++) chars[c] = (char)('a' + random.Next(26));
        return string.Create(CultureInfo.InvariantCulture, $"{i}:{new string(chars)}");
    }

    private static JsonNode?[] InstanceRow(Table table, int i)
    {
        var row = SampleValues.Row(table.Columns, i);
        // Nulls in a third of the rows, in every fifth column.
        if (i % 3 == 0)
        {
            for (var c = 0; c < row.Length; c += 5) row[c] = null;
        }
        return row;
    }

    private static Table Instances => TableCatalog.Default.Find("aws_ec2_instances")!;

    private static string WritePart(TestDirectory dir, string name, IReadOnlyList<Column> columns, IEnumerable<JsonNode?[]> rows, int rowGroupRows)
    {
        var path = dir.Combine(name);
        using var sink = new ParquetSink(columns, path, new ParquetSinkOptions { RowGroupRows = rowGroupRows });
        foreach (var row in rows) sink.Append(row);
        sink.Complete();
        Assert.Equal(0, sink.RejectedValues);
        return path;
    }

    // A part with the encodings and structures ParquetSink no longer writes (dictionary pages, a page index, statistics
    // on every column), written by ParquetSharp directly: the joiner must handle files from any writer.
    private static string WriteRichPart(TestDirectory dir, string name, IReadOnlyList<Column> columns, IEnumerable<JsonNode?[]> rows, int rowGroupRows)
    {
        var path = dir.Combine(name);
        var buffer = new TableRowBuffer(columns);
        using (var properties = new WriterPropertiesBuilder().Compression(Compression.Zstd).EnableDictionary().EnableStatistics().EnableWritePageIndex().Build())
        using (var arrowProperties = new ParquetSharp.Arrow.ArrowWriterPropertiesBuilder().Build())
        using (var writer = new ParquetSharp.Arrow.FileWriter(path, buffer.Schema, properties, arrowProperties))
        {
            void WriteGroup()
            {
                if (buffer.RowCount == 0) return;
                using var batch = buffer.Flush();
                writer.NewBufferedRowGroup();
                writer.WriteBufferedRecordBatch(batch);
            }
            foreach (var row in rows)
            {
                buffer.Append(row);
                if (buffer.RowCount == rowGroupRows) WriteGroup();
            }
            WriteGroup();
            writer.Close();
        }
        Assert.Equal(0, buffer.RejectedValues);
        return path;
    }

    private static List<string> WriteInstanceParts(TestDirectory dir, params int[] rowsPerPart)
    {
        var paths = new List<string>();
        var next = 0;
        for (var p = 0; p < rowsPerPart.Length; p++)
        {
            var first = next;
            paths.Add(WritePart(dir, $"instances-{p}.parquet", Instances.Columns, Enumerable.Range(first, rowsPerPart[p]).Select(i => InstanceRow(Instances, i)), rowGroupRows: 16));
            next += rowsPerPart[p];
        }
        return paths;
    }

    private static string Files(IEnumerable<string> paths) => "[" + string.Join(", ", paths.Select(DuckDbReader.Quote)) + "]";

    private static long Count(string sql) => Convert.ToInt64(DuckDbReader.Scalar(sql), CultureInfo.InvariantCulture);

    /// <summary>The output holds exactly the parts' rows (as multisets, both ways), in the parts' order.</summary>
    private static void AssertSameRows(IReadOnlyList<string> parts, string output, string key)
    {
        var union = $"SELECT * FROM read_parquet({Files(parts)})";
        var merged = $"SELECT * FROM read_parquet({DuckDbReader.Quote(output)})";
        var partRows = Count($"SELECT count(*) FROM ({union})");
        Assert.Equal(partRows, Count($"SELECT count(*) FROM ({merged})"));
        Assert.Equal(0L, Count($"SELECT count(*) FROM ({merged} EXCEPT ALL {union})"));
        Assert.Equal(0L, Count($"SELECT count(*) FROM ({union} EXCEPT ALL {merged})"));

        var expectedKeys = parts.SelectMany(p => DuckDbReader.Query($"SELECT \"{key}\" FROM read_parquet({DuckDbReader.Quote(p)}, file_row_number = true) ORDER BY file_row_number")).Select(r => r[0]);
        var keys = DuckDbReader.Query($"SELECT \"{key}\" FROM read_parquet({DuckDbReader.Quote(output)}, file_row_number = true) ORDER BY file_row_number").Select(r => r[0]);
        Assert.Equal(expectedKeys, keys);
    }

    private static (int RowGroups, long Rows) ParquetSharpMetadata(string path)
    {
        using var reader = new ParquetFileReader(path);
        var metadata = reader.FileMetaData;
        long groupRows = 0;
        for (var g = 0; g < metadata.NumRowGroups; g++)
        {
            using var group = reader.RowGroup(g);
            groupRows += group.MetaData.NumRows;
        }
        Assert.Equal(metadata.NumRows, groupRows);
        return (metadata.NumRowGroups, metadata.NumRows);
    }

    private static IReadOnlyDictionary<string, string> KeyValueMetadata(string path)
    {
        using var reader = new ParquetFileReader(path);
        return reader.FileMetaData.KeyValueMetadata;
    }

    private static string CreatedBy(string path)
    {
        using var reader = new ParquetFileReader(path);
        return reader.FileMetaData.CreatedBy;
    }

    // ParquetSharp's Arrow reader decodes every column of every row group.
    private static long ArrowRowCount(string path)
    {
        using var reader = new ParquetSharp.Arrow.FileReader(path);
        using var batches = reader.GetRecordBatchReader();
        long rows = 0;
        while (batches.ReadNextRecordBatchAsync().AsTask().GetAwaiter().GetResult() is { } batch)
        {
            using (batch) rows += batch.Length;
        }
        return rows;
    }

    // The end of the last column chunk: where the page index (if any) or the footer starts.
    private static long DataEnd(string path) => Count(
        $"SELECT max(coalesce(dictionary_page_offset, data_page_offset) + total_compressed_size) FROM parquet_metadata({DuckDbReader.Quote(path)})");

    [Fact]
    public void Joins_parts_of_aws_ec2_instances_so_duckdb_and_parquetsharp_read_every_row_in_order()
    {
        using var dir = new TestDirectory();
        var parts = WriteInstanceParts(dir, 50, 37, 64);
        var output = dir.Combine("out.parquet");

        ParquetPartConcatenator.Concatenate(parts, output);

        var partMetadata = parts.Select(ParquetSharpMetadata).ToList();
        Assert.All(partMetadata, m => Assert.True(m.RowGroups > 2));
        Assert.Equal((partMetadata.Sum(m => m.RowGroups), 151L), ParquetSharpMetadata(output));
        Assert.Equal(151L, ArrowRowCount(output));
        AssertSameRows(parts, output, "instance_id");
        Assert.Equal(KeyValueMetadata(parts[0]), KeyValueMetadata(output));
        Assert.Equal(CreatedBy(parts[0]), CreatedBy(output));

        // Zstd throughout; parquet_metadata reads every chunk of every row group.
        var compression = DuckDbReader.Query($"SELECT DISTINCT compression FROM parquet_metadata({DuckDbReader.Quote(output)})");
        Assert.Equal("ZSTD", Assert.Single(compression)[0]);
        Assert.Equal(
            Count($"SELECT count(*) FROM parquet_metadata({Files(parts)})"),
            Count($"SELECT count(*) FROM parquet_metadata({DuckDbReader.Quote(output)})"));
    }

    [Fact]
    public void Moves_every_page_offset_by_where_its_part_lands_and_numbers_row_groups_across_parts()
    {
        using var dir = new TestDirectory();
        var parts = new List<string>();
        for (var p = 0; p < 3; p++)
        {
            parts.Add(WriteRichPart(dir, $"simple-{p}.parquet", SimpleColumns, Enumerable.Range(p * 1000, 700 + p * 100).Select(SimpleRow), rowGroupRows: 600));
        }
        var output = dir.Combine("out.parquet");

        ParquetPartConcatenator.Concatenate(parts, output);

        AssertSameRows(parts, output, "id");
        Assert.Equal(3 * 2, ParquetSharpMetadata(output).RowGroups);
        Assert.Equal(2400L, ArrowRowCount(output));

        const string Columns = "row_group_id, column_id, data_page_offset, coalesce(dictionary_page_offset, -1), total_compressed_size, encodings, num_values, stats_min_value, stats_max_value";
        var expected = new List<object?[]>();
        long shift = 0;
        var groups = 0;
        foreach (var part in parts)
        {
            foreach (var row in DuckDbReader.Query($"SELECT {Columns} FROM parquet_metadata({DuckDbReader.Quote(part)}) ORDER BY 1, 2"))
            {
                row[0] = Convert.ToInt64(row[0], CultureInfo.InvariantCulture) + groups;
                row[2] = Convert.ToInt64(row[2], CultureInfo.InvariantCulture) + shift;
                var dictionary = Convert.ToInt64(row[3], CultureInfo.InvariantCulture);
                row[3] = dictionary < 0 ? dictionary : dictionary + shift;
                expected.Add(row);
            }
            groups += Convert.ToInt32(DuckDbReader.Scalar($"SELECT count(DISTINCT row_group_id) FROM parquet_metadata({DuckDbReader.Quote(part)})"), CultureInfo.InvariantCulture);
            shift += DataEnd(part) - 4;
        }
        var actual = DuckDbReader.Query($"SELECT {Columns} FROM parquet_metadata({DuckDbReader.Quote(output)}) ORDER BY 1, 2");
        Assert.Equal(expected.Count, actual.Count);
        for (var i = 0; i < actual.Count; i++)
        {
            actual[i][0] = Convert.ToInt64(actual[i][0], CultureInfo.InvariantCulture);
            actual[i][2] = Convert.ToInt64(actual[i][2], CultureInfo.InvariantCulture);
            actual[i][3] = Convert.ToInt64(actual[i][3], CultureInfo.InvariantCulture);
            Assert.Equal(expected[i], actual[i]);
        }
        // Dictionary-encoded chunks and plain ones.
        var encodings = string.Join(" ", actual.Select(r => r[5]));
        Assert.Contains("RLE_DICTIONARY", encodings, StringComparison.Ordinal);
        Assert.Contains("PLAIN", encodings, StringComparison.Ordinal);
        Assert.Equal(4L + parts.Sum(p => DataEnd(p) - 4), DataEnd(output));

        // Parquet C++ writes no RowGroup.ordinal outside encrypted files; none is made up.
        Assert.Empty(RowGroupOrdinals(output));
    }

    // RowGroup.ordinal (field 7) of every row group (FileMetaData field 4), read from the footer.
    private static List<short> RowGroupOrdinals(string path)
    {
        var footer = ThriftCompactWriterTests.Footer(File.ReadAllBytes(path));
        var reader = new ThriftCompactReader(footer, 0, footer.Length);
        var ordinals = new List<short>();
        reader.BeginStruct();
        while (reader.ReadFieldHeader(out var id, out var type))
        {
            if (id != 4)
            {
                reader.SkipValue(type);
                continue;
            }
            var (_, count) = reader.ReadListHeader();
            for (var g = 0; g < count; g++)
            {
                reader.BeginStruct();
                while (reader.ReadFieldHeader(out var field, out var fieldType))
                {
                    if (field == 7) ordinals.Add(reader.ReadI16());
                    else reader.SkipValue(fieldType);
                }
                reader.EndStruct();
            }
        }
        return ordinals;
    }

    [Fact]
    public void Copies_the_page_index_with_page_locations_pointing_at_the_same_pages()
    {
        using var dir = new TestDirectory();
        var parts = new List<string>();
        for (var p = 0; p < 3; p++)
        {
            // 1,500-row groups: the 2 KB blobs overflow the 1 MiB dictionary after the first 1,024 rows (Parquet C++'s write
            // batch), so the rest of the chunk is plain pages.
            parts.Add(WriteRichPart(dir, $"simple-{p}.parquet", SimpleColumns, Enumerable.Range(p * 10_000, 1600 + p * 100).Select(SimpleRow), rowGroupRows: 1500));
        }
        var output = dir.Combine("out.parquet");

        ParquetPartConcatenator.Concatenate(parts, output);

        var outBytes = File.ReadAllBytes(output);
        var outChunks = PageIndexes(outBytes);
        var k = 0;
        long shift = 0;
        var pages = 0;
        var columnIndexes = 0;
        var outputDataEnd = DataEnd(output);
        foreach (var part in parts)
        {
            var partBytes = File.ReadAllBytes(part);
            foreach (var chunk in PageIndexes(partBytes))
            {
                var copy = outChunks[k++];
                // The sink writes an offset index for every chunk, a column index only where it keeps statistics.
                Assert.True(chunk.OffsetIndexLength > 0);
                Assert.True(copy.OffsetIndexOffset >= outputDataEnd);
                Assert.Equal(chunk.ColumnIndexLength, copy.ColumnIndexLength);
                if (chunk.ColumnIndexLength > 0)
                {
                    columnIndexes++;
                    Assert.True(copy.ColumnIndexOffset >= outputDataEnd && copy.ColumnIndexOffset < copy.OffsetIndexOffset);
                    Assert.Equal(partBytes.AsSpan((int)chunk.ColumnIndexOffset, chunk.ColumnIndexLength), outBytes.AsSpan((int)copy.ColumnIndexOffset, copy.ColumnIndexLength));
                }
                var locations = PageLocations(partBytes, chunk.OffsetIndexOffset, chunk.OffsetIndexLength);
                var moved = PageLocations(outBytes, copy.OffsetIndexOffset, copy.OffsetIndexLength);
                Assert.Equal(locations.Select(l => (l.Offset + shift, l.Size, l.FirstRow)), moved);
                foreach (var (offset, size, _) in locations)
                {
                    Assert.Equal(partBytes.AsSpan((int)offset, size), outBytes.AsSpan((int)(offset + shift), size));
                    pages++;
                }
            }
            shift += DataEnd(part) - 4;
        }
        Assert.Equal(outChunks.Count, k);
        Assert.True(pages > outChunks.Count, $"{pages} pages in {outChunks.Count} chunks");
        Assert.True(columnIndexes > 0);
        AssertSameRows(parts, output, "id");
    }

    // offset_index_offset/length and column_index_offset/length (ColumnChunk fields 4 to 7) of every column chunk.
    private static List<(long OffsetIndexOffset, int OffsetIndexLength, long ColumnIndexOffset, int ColumnIndexLength)> PageIndexes(byte[] file)
    {
        var footer = ThriftCompactWriterTests.Footer(file);
        var reader = new ThriftCompactReader(footer, 0, footer.Length);
        var chunks = new List<(long, int, long, int)>();
        reader.BeginStruct();
        while (reader.ReadFieldHeader(out var id, out var type))
        {
            if (id != 4)
            {
                reader.SkipValue(type);
                continue;
            }
            var (_, groups) = reader.ReadListHeader();
            for (var g = 0; g < groups; g++)
            {
                reader.BeginStruct();
                while (reader.ReadFieldHeader(out var groupField, out var groupFieldType))
                {
                    if (groupField != 1)
                    {
                        reader.SkipValue(groupFieldType);
                        continue;
                    }
                    var (_, count) = reader.ReadListHeader();
                    for (var c = 0; c < count; c++)
                    {
                        long oiOffset = -1, ciOffset = -1;
                        int oiLength = 0, ciLength = 0;
                        reader.BeginStruct();
                        while (reader.ReadFieldHeader(out var field, out var fieldType))
                        {
                            switch (field)
                            {
                                case 4: oiOffset = reader.ReadI64(); break;
                                case 5: oiLength = reader.ReadI32(); break;
                                case 6: ciOffset = reader.ReadI64(); break;
                                case 7: ciLength = reader.ReadI32(); break;
                                default: reader.SkipValue(fieldType); break;
                            }
                        }
                        reader.EndStruct();
                        chunks.Add((oiOffset, oiLength, ciOffset, ciLength));
                    }
                }
                reader.EndStruct();
            }
        }
        return chunks;
    }

    // The PageLocations (offset, compressed_page_size, first_row_index) of the OffsetIndex at offset.
    private static List<(long Offset, int Size, long FirstRow)> PageLocations(byte[] file, long offset, int length)
    {
        var reader = new ThriftCompactReader(file, (int)offset, length);
        var locations = new List<(long, int, long)>();
        reader.BeginStruct();
        while (reader.ReadFieldHeader(out var id, out var type))
        {
            if (id != 1)
            {
                reader.SkipValue(type);
                continue;
            }
            var (_, count) = reader.ReadListHeader();
            for (var i = 0; i < count; i++)
            {
                long pageOffset = 0, firstRow = 0;
                var size = 0;
                reader.BeginStruct();
                while (reader.ReadFieldHeader(out var field, out _))
                {
                    switch (field)
                    {
                        case 1: pageOffset = reader.ReadI64(); break;
                        case 2: size = reader.ReadI32(); break;
                        default: firstRow = reader.ReadI64(); break;
                    }
                }
                reader.EndStruct();
                locations.Add((pageOffset, size, firstRow));
            }
        }
        reader.EndStruct();
        Assert.Equal(offset + length, reader.Position);
        return locations;
    }

    [Fact]
    public void Numbers_row_group_ordinals_across_parts()
    {
        using var dir = new TestDirectory();
        var written = WriteInstanceParts(dir, 50, 40);
        // Parquet C++ writes no ordinals (outside encrypted files): give each part's row groups 0, 1, 2, …
        var parts = written.Select((path, p) =>
        {
            var numbered = dir.Combine($"numbered-{p}.parquet");
            RewriteRowGroups(path, numbered, g => (short)g);
            return numbered;
        }).ToList();
        Assert.Equal(Enumerable.Range(0, 4).Select(g => (short)g), RowGroupOrdinals(parts[0]));
        var output = dir.Combine("out.parquet");

        ParquetPartConcatenator.Concatenate(parts, output);

        Assert.Equal(Enumerable.Range(0, 4 + 3).Select(g => (short)g), RowGroupOrdinals(output));
        AssertSameRows(written, output, "instance_id");
    }

    [Fact]
    public void Refuses_a_part_whose_offsets_point_outside_its_data()
    {
        using var dir = new TestDirectory();
        var parts = WriteInstanceParts(dir, 20, 20);
        var bad = dir.Combine("bad-offset.parquet");
        RewriteRowGroups(parts[1], bad, _ => null, fileOffset: 1L << 40);
        var output = dir.Combine("out.parquet");

        var e = Assert.Throws<InvalidDataException>(() => ParquetPartConcatenator.Concatenate([parts[0], bad], output));

        Assert.Contains(bad, e.Message, StringComparison.Ordinal);
        Assert.Contains("RowGroup.file_offset", e.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(output));
    }

    // Writes source to target with its footer's row groups changed: RowGroup.ordinal set to ordinal(g) (or removed
    // when null) and RowGroup.file_offset replaced when fileOffset is given.
    private static void RewriteRowGroups(string source, string target, Func<int, short?> ordinal, long? fileOffset = null)
    {
        var bytes = File.ReadAllBytes(source);
        var footer = ThriftCompactWriterTests.Footer(bytes);
        var reader = new ThriftCompactReader(footer, 0, footer.Length);
        var rewritten = new MemoryStream();
        var writer = new ThriftCompactWriter(rewritten);
        reader.BeginStruct();
        writer.BeginStruct();
        while (reader.ReadFieldHeader(out var id, out var type))
        {
            if (id != 4)
            {
                CopyRaw(reader, writer, id, type);
                continue;
            }
            var (elementType, count) = reader.ReadListHeader();
            writer.WriteFieldHeader(id, type);
            writer.WriteListHeader(elementType, count);
            for (var g = 0; g < count; g++)
            {
                reader.BeginStruct();
                writer.BeginStruct();
                while (reader.ReadFieldHeader(out var field, out var fieldType))
                {
                    if (field == 5 && fileOffset is { } offset)
                    {
                        reader.ReadI64();
                        writer.WriteFieldHeader(field, fieldType);
                        writer.WriteI64(offset);
                    }
                    else if (field == 7)
                    {
                        reader.ReadI16();
                    }
                    else
                    {
                        CopyRaw(reader, writer, field, fieldType);
                    }
                }
                if (ordinal(g) is { } number)
                {
                    writer.WriteFieldHeader(7, ThriftType.I16);
                    writer.WriteI16(number);
                }
                reader.EndStruct();
                writer.EndStruct();
            }
        }
        reader.EndStruct();
        writer.EndStruct();
        using var file = File.Create(target);
        file.Write(bytes, 0, bytes.Length - 8 - footer.Length);
        rewritten.WriteTo(file);
        Span<byte> tail = stackalloc byte[8];
        BinaryPrimitives.WriteInt32LittleEndian(tail, (int)rewritten.Length);
        "PAR1"u8.CopyTo(tail[4..]);
        file.Write(tail);
    }

    private static void CopyRaw(ThriftCompactReader reader, ThriftCompactWriter writer, short id, ThriftType type)
    {
        var start = reader.Position;
        reader.SkipValue(type);
        writer.WriteFieldHeader(id, type);
        writer.WriteRaw(reader.ReadSince(start));
    }

    [Fact]
    public void Reproduces_a_single_part_byte_for_byte()
    {
        using var dir = new TestDirectory();
        var parts = WriteInstanceParts(dir, 40);
        var output = dir.Combine("out.parquet");

        ParquetPartConcatenator.Concatenate(parts, output);

        Assert.Equal(File.ReadAllBytes(parts[0]), File.ReadAllBytes(output));
    }

    [Fact]
    public void Joins_parts_without_row_groups()
    {
        using var dir = new TestDirectory();
        var empty = WritePart(dir, "empty.parquet", SimpleColumns, [], rowGroupRows: 10);
        Assert.Equal((0, 0L), ParquetSharpMetadata(empty));
        var full = WritePart(dir, "full.parquet", SimpleColumns, Enumerable.Range(0, 25).Select(SimpleRow), rowGroupRows: 10);

        var output = dir.Combine("mixed.parquet");
        ParquetPartConcatenator.Concatenate([empty, full, empty], output);
        Assert.Equal((3, 25L), ParquetSharpMetadata(output));
        AssertSameRows([full], output, "id");

        var nothing = dir.Combine("nothing.parquet");
        ParquetPartConcatenator.Concatenate([empty, empty], nothing);
        Assert.Equal((0, 0L), ParquetSharpMetadata(nothing));
        Assert.Equal(0L, Count($"SELECT count(*) FROM read_parquet({DuckDbReader.Quote(nothing)})"));
        Assert.Equal(SimpleColumns.Select(c => c.Name), DuckDbReader.Query($"DESCRIBE SELECT * FROM read_parquet({DuckDbReader.Quote(nothing)})").Select(r => (string)r[0]!));
    }

    [Fact]
    public void Joins_many_small_parts()
    {
        using var dir = new TestDirectory();
        var parts = Enumerable.Range(0, 30)
            .Select(p => WritePart(dir, $"small-{p}.parquet", SimpleColumns, Enumerable.Range(p * 10, 1 + p % 5).Select(SimpleRow), rowGroupRows: 2))
            .ToList();
        var output = dir.Combine("out.parquet");

        ParquetPartConcatenator.Concatenate(parts, output);

        var rows = Enumerable.Range(0, 30).Sum(p => 1 + p % 5);
        Assert.Equal((parts.Sum(p => ParquetSharpMetadata(p).RowGroups), (long)rows), ParquetSharpMetadata(output));
        Assert.Equal(rows, ArrowRowCount(output));
        AssertSameRows(parts, output, "id");
    }

    [Fact]
    public void Joins_streams_from_their_start_to_the_output_stream()
    {
        using var dir = new TestDirectory();
        var parts = WriteInstanceParts(dir, 20, 30);
        var output = new MemoryStream();
        output.Write("prefix"u8); // written from the stream's position; the file offsets count from its own start

        var streams = parts.Select(p => (Stream)new MemoryStream(File.ReadAllBytes(p))).ToList();
        ParquetPartConcatenator.Concatenate(streams, output);

        var path = dir.Combine("from-streams.parquet");
        var fromFiles = dir.Combine("from-files.parquet");
        File.WriteAllBytes(path, output.ToArray()[6..]);
        ParquetPartConcatenator.Concatenate(parts, fromFiles);
        Assert.Equal(File.ReadAllBytes(fromFiles), File.ReadAllBytes(path));
        AssertSameRows(parts, path, "instance_id");
    }

    [Fact]
    public void Refuses_a_truncated_part_without_creating_the_output()
    {
        using var dir = new TestDirectory();
        var parts = WriteInstanceParts(dir, 20, 20);
        var bytes = File.ReadAllBytes(parts[1]);
        File.WriteAllBytes(parts[1], bytes[..(bytes.Length - 100)]);
        var output = dir.Combine("out.parquet");

        var e = Assert.Throws<InvalidDataException>(() => ParquetPartConcatenator.Concatenate(parts, output));

        Assert.Contains(parts[1], e.Message, StringComparison.Ordinal);
        Assert.Contains("PAR1", e.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(output));
    }

    [Fact]
    public void Refuses_a_file_that_is_not_parquet()
    {
        using var dir = new TestDirectory();
        var parts = WriteInstanceParts(dir, 20);
        var text = dir.Combine("notes.parquet");
        File.WriteAllText(text, "these are not the row groups you are looking for");
        var tiny = dir.Combine("tiny.parquet");
        File.WriteAllBytes(tiny, "PAR1PAR1"u8.ToArray());
        var output = dir.Combine("out.parquet");

        var e = Assert.Throws<InvalidDataException>(() => ParquetPartConcatenator.Concatenate([parts[0], text], output));
        Assert.Contains(text, e.Message, StringComparison.Ordinal);
        e = Assert.Throws<InvalidDataException>(() => ParquetPartConcatenator.Concatenate([tiny, parts[0]], output));
        Assert.Contains(tiny, e.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(output));
    }

    [Fact]
    public void Refuses_a_footer_length_out_of_range_and_a_corrupt_footer()
    {
        using var dir = new TestDirectory();
        var parts = WriteInstanceParts(dir, 20);
        var bytes = File.ReadAllBytes(parts[0]);
        var footerLength = BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(bytes.Length - 8));

        var tooLong = dir.Combine("too-long.parquet");
        var copy = bytes.ToArray();
        BinaryPrimitives.WriteInt32LittleEndian(copy.AsSpan(copy.Length - 8), copy.Length);
        File.WriteAllBytes(tooLong, copy);
        var e = Assert.Throws<InvalidDataException>(() => ParquetPartConcatenator.Concatenate([tooLong], dir.Combine("out.parquet")));
        Assert.Contains("footer length", e.Message, StringComparison.Ordinal);

        // The first half of the footer, framed as a whole one: the FileMetaData ends midway.
        var half = footerLength / 2;
        var cut = dir.Combine("cut.parquet");
        var footerStart = bytes.Length - 8 - footerLength;
        var framed = new byte[footerStart + half + 8];
        bytes.AsSpan(0, footerStart + half).CopyTo(framed);
        BinaryPrimitives.WriteInt32LittleEndian(framed.AsSpan(footerStart + half), half);
        "PAR1"u8.CopyTo(framed.AsSpan(framed.Length - 4));
        File.WriteAllBytes(cut, framed);
        e = Assert.Throws<InvalidDataException>(() => ParquetPartConcatenator.Concatenate([parts[0], cut], dir.Combine("out.parquet")));
        Assert.Contains(cut, e.Message, StringComparison.Ordinal);
        Assert.Contains("corrupt footer", e.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(dir.Combine("out.parquet")));
    }

    [Fact]
    public void Refuses_a_file_with_an_encrypted_footer()
    {
        using var dir = new TestDirectory();
        var parts = WriteInstanceParts(dir, 10);
        var bytes = File.ReadAllBytes(parts[0]);
        "PARE"u8.CopyTo(bytes);
        "PARE"u8.CopyTo(bytes.AsSpan(bytes.Length - 4));
        var encrypted = dir.Combine("encrypted.parquet");
        File.WriteAllBytes(encrypted, bytes);

        var e = Assert.Throws<InvalidDataException>(() => ParquetPartConcatenator.Concatenate([encrypted], dir.Combine("out.parquet")));

        Assert.Contains("encrypted", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Refuses_parts_of_different_schemas()
    {
        using var dir = new TestDirectory();
        var instances = WriteInstanceParts(dir, 20);
        var simple = WritePart(dir, "simple.parquet", SimpleColumns, Enumerable.Range(0, 5).Select(SimpleRow), rowGroupRows: 10);
        var output = dir.Combine("out.parquet");

        var e = Assert.Throws<InvalidDataException>(() => ParquetPartConcatenator.Concatenate([instances[0], simple], output));

        Assert.Contains(simple, e.Message, StringComparison.Ordinal);
        Assert.Contains("schema", e.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(output));
    }

    [Fact]
    public void Refuses_no_parts()
    {
        using var dir = new TestDirectory();
        Assert.Throws<ArgumentException>(() => ParquetPartConcatenator.Concatenate(Array.Empty<string>(), dir.Combine("out.parquet")));
        Assert.Throws<ArgumentException>(() => ParquetPartConcatenator.Concatenate(Array.Empty<Stream>(), new MemoryStream()));
    }

    [Fact]
    public void Refuses_to_write_over_one_of_its_parts()
    {
        using var dir = new TestDirectory();
        var parts = WriteInstanceParts(dir, 10, 10);
        var before = File.ReadAllBytes(parts[1]);
        Assert.Throws<ArgumentException>(() => ParquetPartConcatenator.Concatenate(parts, parts[1]));
        Assert.Equal(before, File.ReadAllBytes(parts[1]));
    }
}
