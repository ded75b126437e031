using System.Data.Common;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace CloudInventory.Server.Internal;

/// <summary>Rows as RFC 4180 CSV (a header row; quotes where needed; nested values as JSON), streamed.</summary>
internal static class CsvOutput
{
    public static async Task WriteAsync(HttpResponse response, DbDataReader reader, long maxRows, CancellationToken cancellationToken)
    {
        await using var writer = new StreamWriter(response.Body, new UTF8Encoding(false), 64 * 1024);
        var line = new StringBuilder();
        for (var i = 0; i < reader.FieldCount; i++) Append(line, i, reader.GetName(i));
        await writer.WriteAsync(line.Append("\r\n"), cancellationToken).ConfigureAwait(false);
        long rows = 0;
        while (rows < maxRows && reader.Read())
        {
            line.Clear();
            for (var i = 0; i < reader.FieldCount; i++) Append(line, i, ApiJson.ToText(reader.IsDBNull(i) ? null : reader.GetValue(i)));
            await writer.WriteAsync(line.Append("\r\n"), cancellationToken).ConfigureAwait(false);
            rows++;
        }
        await writer.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    private static void Append(StringBuilder line, int index, string value)
    {
        if (index > 0) line.Append(',');
        if (value.AsSpan().IndexOfAny(",\"\r\n") < 0)
        {
            line.Append(value);
            return;
        }
        line.Append('"').Append(value.Replace("\"", "\"\"", StringComparison.Ordinal)).Append('"');
    }
}
