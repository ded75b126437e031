using System.Buffers;
using System.Buffers.Binary;

namespace CloudInventory.Storage.Internal;

/// <summary>
/// Joins Parquet "part" files written with the same schema and writer settings into one Parquet file holding all
/// their row groups in order, without decoding or re-encoding any page: the column-chunk bytes of each part are
/// copied as they are, and one footer is written whose row groups are the parts' row groups with their absolute
/// file offsets moved to where the bytes now lie.
/// <para>
/// A part is <c>PAR1</c>, its data (the pages of its column chunks), optionally its page index (column indexes and
/// offset indexes, which Parquet C++ writes after all row groups), then its footer. The page index, when present,
/// starts at the smallest <c>column_index_offset</c>/<c>offset_index_offset</c> of the part; the data ends there (or
/// at the footer). The output is laid out as Parquet C++ lays out a file: <c>PAR1</c>; the data of part 1, part 2, …;
/// the column indexes of every column chunk in order; the offset indexes likewise; the merged footer.
/// </para>
/// <para>
/// Offsets: part <c>i</c>'s data starts at output offset <c>P_i</c> (<c>P_0 = 4</c>, <c>P_i+1 = P_i + dataEnd_i − 4</c>),
/// so each absolute offset into it moves by <c>P_i − 4</c>: <c>RowGroup.file_offset</c>, <c>ColumnChunk.file_offset</c>
/// (left 0 when 0, "no ColumnMetaData outside the footer"), <c>ColumnMetaData.data_page_offset</c>,
/// <c>index_page_offset</c> and <c>dictionary_page_offset</c> (each left 0 when 0), and
/// <c>PageLocation.offset</c> in every offset index, which is re-encoded (its length may change). Column indexes
/// hold no offsets and are copied as they are. <c>ColumnChunk.column_index_offset</c>/<c>offset_index_offset</c>
/// (and <c>offset_index_length</c>) point at the copies. Each offset must lie in its part's data, or the part is
/// refused. <c>RowGroup.ordinal</c>, when present, is renumbered 0…n−1 over the output. Every other field
/// (statistics, encodings, unknown fields) is copied as raw bytes.
/// </para>
/// <para>
/// The footer's version, schema, key-value metadata (e.g. <c>ARROW:schema</c>), created_by, column orders and any
/// unknown fields come from the first part; num_rows is the sum. Parts whose serialized schema differs from the
/// first part's are refused.
/// </para>
/// <para>
/// Not supported, and refused with <see cref="InvalidDataException"/>: bloom filters
/// (<c>ColumnMetaData.bloom_filter_offset</c>), encryption (a <c>PARE</c> file, <c>FileMetaData.encryption_algorithm</c>,
/// encrypted column metadata) and column data in other files (<c>ColumnChunk.file_path</c>).
/// </para>
/// <para>
/// Memory: one part's footer at a time, plus the first part's schema and key-value metadata and 40 bytes per column
/// chunk for the page index locations. Every part is checked first (a pass over all footers and offset indexes
/// that rewrites into nothing), and only then is the output written: the data of each part, the page indexes, then
/// the footer, streamed part by part (each part's footer is read again).
/// </para>
/// </summary>
internal static class ParquetPartConcatenator
{
    private const int CopyBufferSize = 1 << 20;

    // FileMetaData
    private const short FileVersion = 1;
    private const short FileSchema = 2;
    private const short FileNumRows = 3;
    private const short FileRowGroups = 4;
    private const short FileEncryptionAlgorithm = 8;
    private const short FileFooterSigningKeyMetadata = 9;

    // RowGroup
    private const short RowGroupColumns = 1;
    private const short RowGroupNumRows = 3;
    private const short RowGroupFileOffset = 5;
    private const short RowGroupOrdinal = 7;

    // ColumnChunk
    private const short ChunkFilePath = 1;
    private const short ChunkFileOffset = 2;
    private const short ChunkMetaData = 3;
    private const short ChunkOffsetIndexOffset = 4;
    private const short ChunkOffsetIndexLength = 5;
    private const short ChunkColumnIndexOffset = 6;
    private const short ChunkColumnIndexLength = 7;
    private const short ChunkCryptoMetadata = 8;
    private const short ChunkEncryptedColumnMetadata = 9;

    // ColumnMetaData
    private const short MetaDataPageOffset = 9;
    private const short MetaIndexPageOffset = 10;
    private const short MetaDictionaryPageOffset = 11;
    private const short MetaBloomFilterOffset = 14;

    // OffsetIndex, PageLocation
    private const short OffsetIndexPageLocations = 1;
    private const short PageLocationOffset = 1;

    private static ReadOnlySpan<byte> Magic => "PAR1"u8;
    private static ReadOnlySpan<byte> EncryptedMagic => "PARE"u8;

    /// <summary>
    /// Writes the row groups of the Parquet files <paramref name="partPaths"/>, in order, to one Parquet file at
    /// <paramref name="outputPath"/> (created or overwritten; not one of the parts). When a part is refused the output
    /// is not created; when writing fails midway the output is deleted.
    /// </summary>
    /// <exception cref="InvalidDataException">A part is not a Parquet file, is truncated, has a schema other than the
    /// first part's, or uses a feature this does not support; the message names the part.</exception>
    public static void Concatenate(IReadOnlyList<string> partPaths, string outputPath)
    {
        ArgumentNullException.ThrowIfNull(partPaths);
        ArgumentException.ThrowIfNullOrEmpty(outputPath);
        if (partPaths.Count == 0) throw new ArgumentException("there are no parts to concatenate", nameof(partPaths));
        var fullOutputPath = Path.GetFullPath(outputPath);
        if (partPaths.Any(p => string.Equals(Path.GetFullPath(p), fullOutputPath, StringComparison.Ordinal)))
        {
            throw new ArgumentException("the output is one of the parts", nameof(outputPath));
        }
        var parts = new List<PartSource>(partPaths.Count);
        try
        {
            foreach (var path in partPaths)
            {
                ArgumentException.ThrowIfNullOrEmpty(path, nameof(partPaths));
                parts.Add(new PartSource(path, new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan)));
            }
            var plan = Check(parts);
            var output = new FileStream(outputPath, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16);
            try
            {
                using (output) Write(plan, output);
            }
            catch
            {
                File.Delete(outputPath);
                throw;
            }
        }
        finally
        {
            foreach (var part in parts) part.Stream.Dispose();
        }
    }

    /// <summary>
    /// Writes the row groups of the Parquet files in <paramref name="parts"/> (readable, seekable streams, each a whole
    /// file from position 0), in order, as one Parquet file to <paramref name="output"/> from its current position. Nothing is written when a part
    /// is refused. Parts are named "part 0", "part 1", … in exception messages.
    /// </summary>
    /// <exception cref="InvalidDataException">As for <see cref="Concatenate(IReadOnlyList{string}, string)"/>.</exception>
    public static void Concatenate(IReadOnlyList<Stream> parts, Stream output)
    {
        ArgumentNullException.ThrowIfNull(parts);
        ArgumentNullException.ThrowIfNull(output);
        if (parts.Count == 0) throw new ArgumentException("there are no parts to concatenate", nameof(parts));
        if (!output.CanWrite) throw new ArgumentException("the output stream is not writable", nameof(output));
        var sources = new List<PartSource>(parts.Count);
        for (var i = 0; i < parts.Count; i++)
        {
            var stream = parts[i] ?? throw new ArgumentException($"part {i} is null", nameof(parts));
            if (!stream.CanRead || !stream.CanSeek) throw new ArgumentException($"part {i} is not a readable, seekable stream", nameof(parts));
            sources.Add(new PartSource($"part {i}", stream));
        }
        Write(Check(sources), output);
    }

    // Pass 1: reads and checks every footer and offset index, rewriting them into nothing, and keeps what the
    // output needs: the first part's schema and other footer fields, each part's extent and page index locations.
    private static Plan Check(List<PartSource> sources)
    {
        Plan? plan = null;
        var parts = new List<Part>(sources.Count);
        long dataBytes = 0;
        var rowGroups = 0;
        long rows = 0;
        var discard = new ThriftCompactWriter(Stream.Null);
        foreach (var source in sources)
        {
            var (footerStart, footerLength) = LocateFooter(source);
            var footer = ArrayPool<byte>.Shared.Rent(footerLength);
            try
            {
                ReadFooterBytes(source, footerStart, footer, footerLength);
                var (indexes, chunks) = Guarded(source, () => ReadPageIndexLocations(source, footer, footerLength, footerStart));
                var dataEnd = footerStart;
                foreach (var index in indexes)
                {
                    if (index.ColumnIndexOffset >= 0) dataEnd = Math.Min(dataEnd, index.ColumnIndexOffset);
                    if (index.OffsetIndexOffset >= 0) dataEnd = Math.Min(dataEnd, index.OffsetIndexOffset);
                }
                // The part's data (from its offset 4) goes to output offset 4 + dataBytes.
                var part = new Part(source, footerStart, footerLength, dataEnd, indexes, chunks, dataBytes, rowGroups);
                var read = Guarded(source, () => ReadFileMetaData(part, footer, discard));
                CopyOffsetIndexes(part, discard, 0);
                if (plan is null)
                {
                    plan = new Plan(read.Version, footer.AsSpan(read.Schema.Start, read.Schema.Length).ToArray(),
                        [.. read.OtherFields.Select(f => new RawField(f.Id, f.Type, footer.AsSpan(f.Value.Start, f.Value.Length).ToArray()))]);
                }
                else if (!footer.AsSpan(read.Schema.Start, read.Schema.Length).SequenceEqual(plan.Schema))
                {
                    throw Invalid(source, "has a schema other than the first part's");
                }
                parts.Add(part with { RowGroupCount = read.RowGroupCount });
                dataBytes += dataEnd - Magic.Length;
                rowGroups += read.RowGroupCount;
                rows += read.NumRows;
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(footer);
            }
        }
        return plan! with { Parts = parts, NumRows = rows, RowGroupCount = rowGroups };
    }

    // Pass 2: the data of every part, the column indexes, the offset indexes, then the merged footer, streamed.
    private static void Write(Plan plan, Stream output)
    {
        output.Write(Magic);
        long position = Magic.Length;
        var buffer = ArrayPool<byte>.Shared.Rent(CopyBufferSize);
        try
        {
            foreach (var part in plan.Parts)
            {
                CopyRange(part.Source, Magic.Length, part.DataEnd - Magic.Length, buffer, output);
                position += part.DataEnd - Magic.Length;
            }
            foreach (var part in plan.Parts)
            {
                for (var i = 0; i < part.Indexes.Length; i++)
                {
                    ref var index = ref part.Indexes[i];
                    if (index.ColumnIndexOffset < 0) continue;
                    CopyRange(part.Source, index.ColumnIndexOffset, index.ColumnIndexLength, buffer, output);
                    index.NewColumnIndexOffset = position;
                    position += index.ColumnIndexLength;
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
        var indexWriter = new ThriftCompactWriter(output);
        foreach (var part in plan.Parts) CopyOffsetIndexes(part, indexWriter, position);

        var writer = new ThriftCompactWriter(output);
        writer.BeginStruct();
        writer.WriteFieldHeader(FileVersion, ThriftType.I32);
        writer.WriteI32(plan.Version);
        writer.WriteFieldHeader(FileSchema, ThriftType.List);
        writer.WriteRaw(plan.Schema);
        writer.WriteFieldHeader(FileNumRows, ThriftType.I64);
        writer.WriteI64(plan.NumRows);
        writer.WriteFieldHeader(FileRowGroups, ThriftType.List);
        writer.WriteListHeader(ThriftType.Struct, plan.RowGroupCount);
        foreach (var part in plan.Parts)
        {
            var footer = ArrayPool<byte>.Shared.Rent(part.FooterLength);
            try
            {
                ReadFooterBytes(part.Source, part.FooterStart, footer, part.FooterLength);
                var read = Guarded(part.Source, () => ReadFileMetaData(part, footer, writer));
                if (read.RowGroupCount != part.RowGroupCount) throw Invalid(part.Source, "changed while it was being concatenated");
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(footer);
            }
        }
        foreach (var field in plan.OtherFields)
        {
            writer.WriteFieldHeader(field.Id, field.Type);
            writer.WriteRaw(field.Value);
        }
        writer.EndStruct();
        if (writer.BytesWritten > int.MaxValue) throw new InvalidOperationException("the merged Parquet footer is larger than 2 GiB");
        Span<byte> tail = stackalloc byte[8];
        BinaryPrimitives.WriteInt32LittleEndian(tail, (int)writer.BytesWritten);
        Magic.CopyTo(tail[4..]);
        output.Write(tail);
        output.Flush();
    }

    private static (long FooterStart, int FooterLength) LocateFooter(PartSource source)
    {
        var stream = source.Stream;
        var length = stream.Length;
        // PAR1, a footer of at least one byte, its length, PAR1.
        if (length < 2 * Magic.Length + 4 + 1) throw Invalid(source, $"is too short ({length} bytes) to be a Parquet file");
        Span<byte> head = stackalloc byte[4];
        stream.Position = 0;
        stream.ReadExactly(head);
        Span<byte> tail = stackalloc byte[8];
        stream.Position = length - tail.Length;
        stream.ReadExactly(tail);
        if (head.SequenceEqual(EncryptedMagic) || tail[4..].SequenceEqual(EncryptedMagic)) throw Invalid(source, "is an encrypted Parquet file, which is not supported");
        if (!head.SequenceEqual(Magic)) throw Invalid(source, "does not start with PAR1: it is not a Parquet file");
        if (!tail[4..].SequenceEqual(Magic)) throw Invalid(source, "does not end with PAR1: it is truncated or not a Parquet file");
        var footerLength = BinaryPrimitives.ReadInt32LittleEndian(tail);
        if (footerLength <= 0 || footerLength > length - 2 * Magic.Length - 4) throw Invalid(source, $"has a footer length ({footerLength}) out of range for a file of {length} bytes");
        return (length - tail.Length - footerLength, footerLength);
    }

    private static void ReadFooterBytes(PartSource source, long footerStart, byte[] footer, int footerLength) =>
        ReadExactly(source, footerStart, footer, footerLength, "its footer");

    private static void ReadExactly(PartSource source, long offset, byte[] buffer, int length, string what)
    {
        source.Stream.Position = offset;
        try
        {
            source.Stream.ReadExactly(buffer, 0, length);
        }
        catch (EndOfStreamException e)
        {
            throw Invalid(source, $"ended while {what} was read", e);
        }
    }

    private static void CopyRange(PartSource source, long offset, long length, byte[] buffer, Stream output)
    {
        var stream = source.Stream;
        stream.Position = offset;
        while (length > 0)
        {
            var read = stream.Read(buffer, 0, (int)Math.Min(buffer.Length, length));
            if (read == 0) throw Invalid(source, "ended while its data was copied");
            output.Write(buffer, 0, read);
            length -= read;
        }
    }

    // The page index locations of every column chunk of a part, in footer order (row group, column).
    // Each column chunk's page index locations, in footer order (row group, column), and the number of chunks. Files
    // without a page index (the sink writes none) give no array at all: at 1M rows that was ~750 row groups × hundreds of
    // columns of locations, all "none", held on the large-object heap while the parts were joined.
    private static (ChunkIndex[] Indexes, int Chunks) ReadPageIndexLocations(PartSource source, byte[] footer, int footerLength, long footerStart)
    {
        List<ChunkIndex>? indexes = null;
        var count = 0;
        var reader = new ThriftCompactReader(footer, 0, footerLength);
        reader.BeginStruct();
        while (reader.ReadFieldHeader(out var id, out var type))
        {
            if (id != FileRowGroups || type != ThriftType.List)
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
                    if (groupField != RowGroupColumns || groupFieldType != ThriftType.List)
                    {
                        reader.SkipValue(groupFieldType);
                        continue;
                    }
                    var (_, chunks) = reader.ReadListHeader();
                    for (var c = 0; c < chunks; c++)
                    {
                        var index = ReadChunkIndex(source, reader, footerStart);
                        if (indexes is null && index.ColumnIndexOffset < 0 && index.OffsetIndexOffset < 0)
                        {
                            count++;
                            continue;
                        }
                        if (indexes is null)
                        {
                            indexes = new List<ChunkIndex>(count + 1);
                            for (var i = 0; i < count; i++) indexes.Add(NoIndex);
                        }
                        indexes.Add(index);
                        count++;
                    }
                }
                reader.EndStruct();
            }
        }
        reader.EndStruct();
        return (indexes is null ? [] : [.. indexes], count);
    }

    private static readonly ChunkIndex NoIndex = new() { ColumnIndexOffset = -1, OffsetIndexOffset = -1 };

    private static ChunkIndex ReadChunkIndex(PartSource source, ThriftCompactReader reader, long footerStart)
    {
        long? columnIndexOffset = null, offsetIndexOffset = null;
        int? columnIndexLength = null, offsetIndexLength = null;
        reader.BeginStruct();
        while (reader.ReadFieldHeader(out var id, out var type))
        {
            switch (id)
            {
                case ChunkOffsetIndexOffset:
                    Expect(source, type, ThriftType.I64, "ColumnChunk.offset_index_offset");
                    offsetIndexOffset = reader.ReadI64();
                    break;
                case ChunkOffsetIndexLength:
                    Expect(source, type, ThriftType.I32, "ColumnChunk.offset_index_length");
                    offsetIndexLength = reader.ReadI32();
                    break;
                case ChunkColumnIndexOffset:
                    Expect(source, type, ThriftType.I64, "ColumnChunk.column_index_offset");
                    columnIndexOffset = reader.ReadI64();
                    break;
                case ChunkColumnIndexLength:
                    Expect(source, type, ThriftType.I32, "ColumnChunk.column_index_length");
                    columnIndexLength = reader.ReadI32();
                    break;
                default:
                    reader.SkipValue(type);
                    break;
            }
        }
        reader.EndStruct();
        var index = new ChunkIndex
        {
            ColumnIndexOffset = IndexRange(source, columnIndexOffset, columnIndexLength, footerStart, "column index"),
            ColumnIndexLength = columnIndexLength ?? 0,
            OffsetIndexOffset = IndexRange(source, offsetIndexOffset, offsetIndexLength, footerStart, "offset index"),
            OffsetIndexLength = offsetIndexLength ?? 0,
        };
        return index;
    }

    // The offset of a page index structure, or -1 when the chunk has none; it must lie between the part's magic and footer.
    private static long IndexRange(PartSource source, long? offset, int? length, long footerStart, string what)
    {
        if (offset is null && length is null) return -1;
        if (offset is null || length is null) throw Invalid(source, $"has a {what} offset without a length or a length without an offset");
        if (offset < Magic.Length || length <= 0 || offset + length > footerStart)
        {
            throw Invalid(source, $"has a {what} at {offset} of {length} bytes outside its data (bytes 4 to {footerStart})");
        }
        return offset.Value;
    }

    // Rewrites the offset indexes of a part with its page offsets moved; records where each copy lies (the writer's
    // first byte going to output offset start).
    private static void CopyOffsetIndexes(Part part, ThriftCompactWriter writer, long start)
    {
        var maxLength = 0;
        foreach (var index in part.Indexes) maxLength = Math.Max(maxLength, index.OffsetIndexLength);
        if (maxLength == 0) return;
        var buffer = ArrayPool<byte>.Shared.Rent(maxLength);
        try
        {
            var offsets = new OffsetShift(part.Source, part.DataEnd, part.Shift);
            for (var i = 0; i < part.Indexes.Length; i++)
            {
                ref var index = ref part.Indexes[i];
                if (index.OffsetIndexOffset < 0) continue;
                ReadExactly(part.Source, index.OffsetIndexOffset, buffer, index.OffsetIndexLength, "an offset index");
                var before = writer.BytesWritten;
                var reader = new ThriftCompactReader(buffer, 0, index.OffsetIndexLength);
                Guarded(part.Source, () => CopyOffsetIndex(part.Source, reader, writer, offsets));
                if (reader.Position != index.OffsetIndexLength) throw Invalid(part.Source, "has an offset index shorter than its offset_index_length");
                index.NewOffsetIndexOffset = start + before;
                index.NewOffsetIndexLength = checked((int)(writer.BytesWritten - before));
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static bool CopyOffsetIndex(PartSource source, ThriftCompactReader reader, ThriftCompactWriter writer, OffsetShift offsets)
    {
        reader.BeginStruct();
        writer.BeginStruct();
        while (reader.ReadFieldHeader(out var id, out var type))
        {
            if (id != OffsetIndexPageLocations)
            {
                CopyRawField(reader, writer, id, type);
                continue;
            }
            Expect(source, type, ThriftType.List, "OffsetIndex.page_locations");
            var (elementType, count) = reader.ReadListHeader();
            if (count > 0) Expect(source, elementType, ThriftType.Struct, "OffsetIndex.page_locations element");
            writer.WriteFieldHeader(id, type);
            writer.WriteListHeader(elementType, count);
            for (var i = 0; i < count; i++)
            {
                reader.BeginStruct();
                writer.BeginStruct();
                while (reader.ReadFieldHeader(out var field, out var fieldType))
                {
                    if (field != PageLocationOffset)
                    {
                        CopyRawField(reader, writer, field, fieldType);
                        continue;
                    }
                    Expect(source, fieldType, ThriftType.I64, "PageLocation.offset");
                    writer.WriteFieldHeader(field, fieldType);
                    writer.WriteI64(offsets.Shift(reader.ReadI64(), "PageLocation.offset"));
                }
                reader.EndStruct();
                writer.EndStruct();
            }
        }
        reader.EndStruct();
        writer.EndStruct();
        return true;
    }

    // Reads a part's FileMetaData; writes its row groups (offsets moved, ordinals from the part's first) to rowGroups.
    private static FileMetaDataRead ReadFileMetaData(Part part, byte[] footer, ThriftCompactWriter rowGroups)
    {
        var source = part.Source;
        var context = new ChunkContext(part, new OffsetShift(source, part.DataEnd, part.Shift));
        var reader = new ThriftCompactReader(footer, 0, part.FooterLength);
        int? version = null;
        (int Start, int Length)? schema = null;
        long? numRows = null;
        int? rowGroupCount = null;
        long rowGroupRows = 0;
        var others = new List<(short Id, ThriftType Type, (int Start, int Length) Value)>();
        reader.BeginStruct();
        while (reader.ReadFieldHeader(out var id, out var type))
        {
            switch (id)
            {
                case FileVersion:
                    Expect(source, type, ThriftType.I32, "FileMetaData.version");
                    version = reader.ReadI32();
                    break;
                case FileSchema:
                {
                    Expect(source, type, ThriftType.List, "FileMetaData.schema");
                    var start = reader.Position;
                    reader.SkipValue(type);
                    schema = (start, reader.Position - start);
                    break;
                }
                case FileNumRows:
                    Expect(source, type, ThriftType.I64, "FileMetaData.num_rows");
                    numRows = reader.ReadI64();
                    break;
                case FileRowGroups:
                {
                    Expect(source, type, ThriftType.List, "FileMetaData.row_groups");
                    var (elementType, count) = reader.ReadListHeader();
                    if (count > 0) Expect(source, elementType, ThriftType.Struct, "FileMetaData.row_groups element");
                    for (var i = 0; i < count; i++) rowGroupRows += CopyRowGroup(reader, rowGroups, context, part.FirstOrdinal + i);
                    rowGroupCount = count;
                    break;
                }
                case FileEncryptionAlgorithm or FileFooterSigningKeyMetadata:
                    throw Invalid(source, "is encrypted (plaintext footer), which is not supported");
                default:
                {
                    var start = reader.Position;
                    reader.SkipValue(type);
                    others.Add((id, type, (start, reader.Position - start)));
                    break;
                }
            }
        }
        reader.EndStruct();
        if (reader.Position != part.FooterLength) throw Invalid(source, "has bytes after its FileMetaData in the footer");
        if (version is null || schema is null || numRows is null || rowGroupCount is null)
        {
            throw Invalid(source, "has a footer without version, schema, num_rows or row_groups");
        }
        if (numRows != rowGroupRows) throw Invalid(source, $"says it has {numRows} rows but its row groups hold {rowGroupRows}");
        if (context.NextChunk != part.ChunkCount) throw Invalid(source, "changed while it was being concatenated");
        return new FileMetaDataRead(version.Value, schema.Value, numRows.Value, rowGroupCount.Value, others);
    }

    // Copies one RowGroup; returns its num_rows.
    private static long CopyRowGroup(ThriftCompactReader reader, ThriftCompactWriter writer, ChunkContext context, int ordinal)
    {
        var source = context.Part.Source;
        long? rows = null;
        reader.BeginStruct();
        writer.BeginStruct();
        while (reader.ReadFieldHeader(out var id, out var type))
        {
            switch (id)
            {
                case RowGroupColumns:
                {
                    Expect(source, type, ThriftType.List, "RowGroup.columns");
                    var (elementType, count) = reader.ReadListHeader();
                    if (count > 0) Expect(source, elementType, ThriftType.Struct, "RowGroup.columns element");
                    writer.WriteFieldHeader(id, type);
                    writer.WriteListHeader(elementType, count);
                    for (var i = 0; i < count; i++) CopyColumnChunk(reader, writer, context);
                    break;
                }
                case RowGroupNumRows:
                    Expect(source, type, ThriftType.I64, "RowGroup.num_rows");
                    rows = reader.ReadI64();
                    writer.WriteFieldHeader(id, type);
                    writer.WriteI64(rows.Value);
                    break;
                case RowGroupFileOffset:
                    Expect(source, type, ThriftType.I64, "RowGroup.file_offset");
                    writer.WriteFieldHeader(id, type);
                    writer.WriteI64(context.Offsets.Shift(reader.ReadI64(), "RowGroup.file_offset"));
                    break;
                case RowGroupOrdinal:
                    Expect(source, type, ThriftType.I16, "RowGroup.ordinal");
                    reader.ReadI16();
                    if (ordinal > short.MaxValue) throw new InvalidOperationException($"the output would have more than {short.MaxValue + 1} row groups, which RowGroup.ordinal (i16) cannot number");
                    writer.WriteFieldHeader(id, type);
                    writer.WriteI16((short)ordinal);
                    break;
                default:
                    CopyRawField(reader, writer, id, type);
                    break;
            }
        }
        reader.EndStruct();
        writer.EndStruct();
        return rows ?? throw Invalid(source, "has a row group without num_rows");
    }

    private static void CopyColumnChunk(ThriftCompactReader reader, ThriftCompactWriter writer, ChunkContext context)
    {
        var source = context.Part.Source;
        if (context.NextChunk >= context.Part.ChunkCount) throw Invalid(source, "changed while it was being concatenated");
        var index = context.Part.Indexes.Length == 0 ? NoIndex : context.Part.Indexes[context.NextChunk];
        context.NextChunk++;
        reader.BeginStruct();
        writer.BeginStruct();
        while (reader.ReadFieldHeader(out var id, out var type))
        {
            switch (id)
            {
                case ChunkFilePath:
                    throw Invalid(source, "keeps column data in another file (ColumnChunk.file_path), which is not supported");
                case ChunkFileOffset:
                {
                    Expect(source, type, ThriftType.I64, "ColumnChunk.file_offset");
                    var value = reader.ReadI64();
                    writer.WriteFieldHeader(id, type);
                    // 0: no ColumnMetaData outside the footer. Otherwise writers point it at the chunk's first page or
                    // just past the chunk, which may be the end of the part's data.
                    writer.WriteI64(value == 0 ? 0 : context.Offsets.Shift(value, "ColumnChunk.file_offset", allowEnd: true));
                    break;
                }
                case ChunkMetaData:
                    Expect(source, type, ThriftType.Struct, "ColumnChunk.meta_data");
                    writer.WriteFieldHeader(id, type);
                    CopyColumnMetaData(reader, writer, context);
                    break;
                // Checked by ReadChunkIndex; written from the locations of the copies.
                case ChunkOffsetIndexOffset:
                    reader.SkipValue(type);
                    writer.WriteFieldHeader(id, ThriftType.I64);
                    writer.WriteI64(index.NewOffsetIndexOffset);
                    break;
                case ChunkOffsetIndexLength:
                    reader.SkipValue(type);
                    writer.WriteFieldHeader(id, ThriftType.I32);
                    writer.WriteI32(index.NewOffsetIndexLength);
                    break;
                case ChunkColumnIndexOffset:
                    reader.SkipValue(type);
                    writer.WriteFieldHeader(id, ThriftType.I64);
                    writer.WriteI64(index.NewColumnIndexOffset);
                    break;
                case ChunkColumnIndexLength:
                    reader.SkipValue(type);
                    writer.WriteFieldHeader(id, ThriftType.I32);
                    writer.WriteI32(index.ColumnIndexLength);
                    break;
                case ChunkCryptoMetadata or ChunkEncryptedColumnMetadata:
                    throw Invalid(source, "has encrypted columns, which is not supported");
                default:
                    CopyRawField(reader, writer, id, type);
                    break;
            }
        }
        reader.EndStruct();
        writer.EndStruct();
    }

    private static void CopyColumnMetaData(ThriftCompactReader reader, ThriftCompactWriter writer, ChunkContext context)
    {
        var source = context.Part.Source;
        reader.BeginStruct();
        writer.BeginStruct();
        while (reader.ReadFieldHeader(out var id, out var type))
        {
            switch (id)
            {
                case MetaDataPageOffset:
                    Expect(source, type, ThriftType.I64, "ColumnMetaData.data_page_offset");
                    writer.WriteFieldHeader(id, type);
                    writer.WriteI64(context.Offsets.Shift(reader.ReadI64(), "ColumnMetaData.data_page_offset"));
                    break;
                case MetaIndexPageOffset or MetaDictionaryPageOffset:
                {
                    var name = id == MetaIndexPageOffset ? "ColumnMetaData.index_page_offset" : "ColumnMetaData.dictionary_page_offset";
                    Expect(source, type, ThriftType.I64, name);
                    var value = reader.ReadI64();
                    writer.WriteFieldHeader(id, type);
                    // Some writers store 0 for "none"; it stays 0.
                    writer.WriteI64(value == 0 ? 0 : context.Offsets.Shift(value, name));
                    break;
                }
                case MetaBloomFilterOffset:
                    throw Invalid(source, "has bloom filters, which are not supported");
                default:
                    CopyRawField(reader, writer, id, type);
                    break;
            }
        }
        reader.EndStruct();
        writer.EndStruct();
    }

    private static void CopyRawField(ThriftCompactReader reader, ThriftCompactWriter writer, short id, ThriftType type)
    {
        var start = reader.Position;
        reader.SkipValue(type);
        writer.WriteFieldHeader(id, type);
        writer.WriteRaw(reader.ReadSince(start));
    }

    private static void Expect(PartSource source, ThriftType actual, ThriftType expected, string field)
    {
        if (actual != expected) throw Invalid(source, $"has {field} of Thrift type {actual}, not {expected}");
    }

    // Thrift decoding errors do not know the part; this names it.
    private static T Guarded<T>(PartSource source, Func<T> read)
    {
        try
        {
            return read();
        }
        catch (InvalidDataException e) when (!e.Message.StartsWith(source.Name, StringComparison.Ordinal))
        {
            throw Invalid(source, $"has a corrupt footer or page index: {e.Message}", e);
        }
    }

    private static InvalidDataException Invalid(PartSource source, string problem, Exception? inner = null) =>
        new($"{source.Name} {problem}", inner);

    private sealed record PartSource(string Name, Stream Stream);

    /// <summary>
    /// A part: its data is bytes [4, DataEnd), moved by Shift in the output; its row groups start at FirstOrdinal. Indexes has
    /// one entry per column chunk (ChunkCount of them), or none when no chunk has a page index.
    /// </summary>
    private sealed record Part(PartSource Source, long FooterStart, int FooterLength, long DataEnd, ChunkIndex[] Indexes, int ChunkCount, long Shift, int FirstOrdinal)
    {
        public int RowGroupCount { get; init; }
    }

    /// <summary>Where a column chunk's page index structures lie in its part (-1: none) and where their copies lie in the output.</summary>
    private struct ChunkIndex
    {
        public long ColumnIndexOffset;
        public int ColumnIndexLength;
        public long OffsetIndexOffset;
        public int OffsetIndexLength;
        public long NewColumnIndexOffset;
        public long NewOffsetIndexOffset;
        public int NewOffsetIndexLength;
    }

    private sealed class ChunkContext(Part part, OffsetShift offsets)
    {
        public Part Part { get; } = part;

        public OffsetShift Offsets { get; } = offsets;

        /// <summary>The position in <see cref="Part.Indexes"/> of the next column chunk.</summary>
        public int NextChunk { get; set; }
    }

    private sealed record RawField(short Id, ThriftType Type, byte[] Value);

    private sealed record Plan(int Version, byte[] Schema, IReadOnlyList<RawField> OtherFields)
    {
        public IReadOnlyList<Part> Parts { get; init; } = [];

        public long NumRows { get; init; }

        public int RowGroupCount { get; init; }
    }

    private sealed record FileMetaDataRead(int Version, (int Start, int Length) Schema, long NumRows, int RowGroupCount,
        IReadOnlyList<(short Id, ThriftType Type, (int Start, int Length) Value)> OtherFields);

    // Moves an absolute offset into a part's data [4, dataEnd) to where that byte lies in the output.
    private readonly record struct OffsetShift(PartSource Source, long DataEnd, long Delta)
    {
        public long Shift(long offset, string field, bool allowEnd = false)
        {
            if (offset < Magic.Length || offset > DataEnd || (offset == DataEnd && !allowEnd))
            {
                throw Invalid(Source, $"has {field} {offset} outside its data (bytes 4 to {DataEnd})");
            }
            return offset + Delta;
        }
    }
}
