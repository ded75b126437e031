using System.Text.Json;
using CloudInventory.Query;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace CloudInventory.Server.Internal;

internal sealed partial class ApiEndpoints
{
    /// <summary>The request body (read here rather than bound, so a body over the size limit or bad JSON gets a message).</summary>
    private async Task<QueryRequest> ReadQueryRequestAsync(HttpContext context, CancellationToken cancellationToken)
    {
        if (!context.Request.HasJsonContentType()) throw new InventoryQueryException("send the query as JSON (Content-Type: application/json): {\"sql\": \"select …\"}.");
        try
        {
            return await context.Request.ReadFromJsonAsync<QueryRequest>(ApiJson.Options, cancellationToken).ConfigureAwait(false)
                ?? throw new InventoryQueryException("the body is null; send {\"sql\": \"select …\"}.");
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            throw new BadHttpRequestException($"the request body is larger than {options.MaxRequestBodyBytes} bytes", StatusCodes.Status413PayloadTooLarge, e);
        }
        catch (JsonException e)
        {
            throw new InventoryQueryException($"the body is not the JSON expected ({e.Message.Split('.')[0]}); send {{\"sql\": \"select …\"}}.", e);
        }
    }

    private void MapQuery(RouteGroupBuilder api)
    {
        api.MapPost("/query", async (HttpContext context, CancellationToken cancellationToken) =>
        {
            var request = await ReadQueryRequestAsync(context, cancellationToken).ConfigureAwait(false);
            if (string.IsNullOrWhiteSpace(request.Sql)) throw new InventoryQueryException("sql: no SQL given; send {\"sql\": \"select …\"}.");
            var csv = string.Equals(request.Format, "csv", StringComparison.OrdinalIgnoreCase)
                || (request.Format is null && context.Request.Headers.Accept.ToString().Contains("text/csv", StringComparison.OrdinalIgnoreCase));
            if (request.Format is not (null or "json" or "csv")) throw new InventoryQueryException($"format={request.Format}: expected json or csv.");
            var cap = Math.Clamp(request.MaxRows ?? options.QueryRowCap, 1, options.QueryRowCap);
            using var lease = await sessions.AcquireAsync(null, cancellationToken).ConfigureAwait(false);
            var db = lease.Database;
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(options.StatementTimeout);
            await using var interrupt = timeout.Token.Register(db.Interrupt);
            try
            {
                using var reader = db.ExecuteSandboxedQuery(request.Sql);
                if (csv)
                {
                    context.Response.ContentType = "text/csv; charset=utf-8";
                    await CsvOutput.WriteAsync(context.Response, reader, cap, timeout.Token).ConfigureAwait(false);
                    return;
                }
                context.Response.ContentType = "application/json; charset=utf-8";
                await using var json = new Utf8JsonWriter(context.Response.BodyWriter.AsStream(), new JsonWriterOptions { SkipValidation = true });
                json.WriteStartObject();
                json.WritePropertyName("columns");
                JsonSerializer.Serialize(json, Columns(reader), ApiJson.Options);
                json.WriteStartArray("rows");
                long count = 0;
                var truncated = false;
                while (reader.Read())
                {
                    if (count == cap)
                    {
                        truncated = true;
                        break;
                    }
                    ReadRow(reader).WriteTo(json);
                    if (++count % 500 == 0) await json.FlushAsync(timeout.Token).ConfigureAwait(false);
                }
                json.WriteEndArray();
                json.WriteNumber("row_count", count);
                json.WriteBoolean("truncated", truncated);
                json.WriteEndObject();
                await json.FlushAsync(timeout.Token).ConfigureAwait(false);
            }
            catch (InventoryQueryException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                throw new InventoryQueryException($"the query ran longer than {options.StatementTimeout.TotalSeconds:0.#} s and was stopped; narrow it (a WHERE, a LIMIT, a current_ view).");
            }
        }).WithName("RunQuery")
          .WithSummary("Runs one read-only SELECT over the store's views (the same as cloudinv query) in a sandbox, streaming the rows as JSON or CSV (format or Accept: text/csv), at most max_rows (capped by the server).")
          .Accepts<QueryRequest>("application/json")
          .Produces<QueryResult>(StatusCodes.Status200OK, "application/json", "text/csv")
          .Produces<ErrorBody>(StatusCodes.Status400BadRequest);
    }
}
