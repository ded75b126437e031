using CloudInventory.Storage;

namespace CloudInventory.Tests.Storage;

public class RunManifestTests
{
    internal static RunManifest Sample(string runId = "20261125T060000Z-a1b2c3", DateOnly? date = null, string? shard = null)
    {
        var reportDate = date ?? new DateOnly(2026, 11, 25);
        var path = $"aws/ec2/instances/report_date={reportDate:yyyy-MM-dd}/{StoreLayout.FileStem(runId, shard)}.parquet";
        return new RunManifest(
            RunId: runId,
            Shard: shard,
            ReportDate: reportDate,
            ReportTime: new DateTimeOffset(2026, 11, 25, 6, 0, 0, TimeSpan.Zero),
            StartedAt: new DateTimeOffset(2026, 11, 25, 6, 0, 0, 120, TimeSpan.Zero),
            FinishedAt: new DateTimeOffset(2026, 11, 25, 7, 1, 2, 345, TimeSpan.FromHours(1)),
            Status: RunStatus.Partial,
            ToolVersion: "0.1.0",
            Files: [new RunManifestFile("aws_ec2_instances", path, 12, 3456, "ab12")],
            Tables:
            [
                new RunManifestTable("aws_ec2_instances", "123456789012", "eu-west-1", 12, TableRunStatus.Ok),
                new RunManifestTable("aws_ec2_volumes", "123456789012", "eu-west-1", 0, TableRunStatus.Empty),
                new RunManifestTable("aws_ec2_instances", "210987654321", "eu-west-1", 0, TableRunStatus.Error, "AccessDenied"),
            ],
            Errors: 3,
            ApiCalls: 1234,
            Throttles: 5,
            DurationMs: 4567);
    }

    [Fact]
    public void Serialises_as_the_layout_contract_says()
    {
        const string expected = """
            {
              "format_version": 1,
              "run_id": "20261125T060000Z-a1b2c3",
              "shard": null,
              "report_date": "2026-11-25",
              "report_time": "2026-11-25T06:00:00.000Z",
              "started_at": "2026-11-25T06:00:00.120Z",
              "finished_at": "2026-11-25T06:01:02.345Z",
              "status": "partial",
              "tool_version": "0.1.0",
              "files": [
                {
                  "table": "aws_ec2_instances",
                  "path": "aws/ec2/instances/report_date=2026-11-25/20261125T060000Z-a1b2c3.parquet",
                  "rows": 12,
                  "bytes": 3456,
                  "sha256": "ab12"
                }
              ],
              "tables": [
                {
                  "table": "aws_ec2_instances",
                  "account_id": "123456789012",
                  "region": "eu-west-1",
                  "rows": 12,
                  "status": "ok",
                  "error_code": null
                },
                {
                  "table": "aws_ec2_volumes",
                  "account_id": "123456789012",
                  "region": "eu-west-1",
                  "rows": 0,
                  "status": "empty",
                  "error_code": null
                },
                {
                  "table": "aws_ec2_instances",
                  "account_id": "210987654321",
                  "region": "eu-west-1",
                  "rows": 0,
                  "status": "error",
                  "error_code": "AccessDenied"
                }
              ],
              "errors": 3,
              "api_calls": 1234,
              "throttles": 5,
              "duration_ms": 4567
            }
            """;
        Assert.Equal(expected.ReplaceLineEndings("\n"), Sample().ToJson().ReplaceLineEndings("\n"));
    }

    [Fact]
    public void Reads_back_what_it_writes()
    {
        var manifest = Sample(shard: "2/4");
        var read = RunManifest.FromJson(manifest.ToJson());
        Assert.Equal(manifest.ToJson(), read.ToJson());
        Assert.Equal("2/4", read.Shard);
        Assert.Equal(RunStatus.Partial, read.Status);
        Assert.Equal(manifest.FinishedAt, read.FinishedAt);
        Assert.Equal("AccessDenied", read.Tables[2].ErrorCode);
    }

    [Fact]
    public void Rejects_json_that_is_not_a_manifest()
    {
        Assert.Throws<InventoryStoreException>(() => RunManifest.FromJson("""{"run_id": 5}"""));
        Assert.Throws<InventoryStoreException>(() => RunManifest.FromJson("""{"run_id": "x", "status": "done"}"""));
        Assert.Throws<InventoryStoreException>(() => RunManifest.FromJson("not json"));
    }

    // How manifests were read before the hand-written reader: the reflection serializer under the manifest's rules.
    private static readonly System.Text.Json.JsonSerializerOptions s_serializerRules = new()
    {
        PropertyNamingPolicy = System.Text.Json.JsonNamingPolicy.SnakeCaseLower,
        Converters =
        {
            new System.Text.Json.Serialization.JsonStringEnumConverter(System.Text.Json.JsonNamingPolicy.SnakeCaseLower, allowIntegerValues: false),
            new CloudInventory.Storage.Internal.RunManifestJson.UtcTimestampConverter(),
        },
        RespectNullableAnnotations = true,
        RespectRequiredConstructorParameters = true,
    };

    /// <summary>
    /// The manifest is written by the serializer and read by hand (for start-up time): for every variant below, the reader
    /// accepts exactly what the serializer under the manifest's rules accepts, and reads the same manifest.
    /// </summary>
    [Theory]
    [InlineData("", "")]
    [InlineData("\"shard\": null", "\"shard\": \"1/3\"")]
    [InlineData("\"error_code\": null", "\"error_code\": \"Throttling\"")]
    [InlineData(",\n      \"error_code\": null", "")]
    [InlineData("\"status\": \"partial\"", "\"status\": \"complete\"")]
    [InlineData("\"status\": \"partial\"", "\"status\": \"Partial\"")]
    [InlineData("\"status\": \"partial\"", "\"status\": 1")]
    [InlineData("\"status\": \"ok\"", "\"status\": \"access_denied\"")]
    [InlineData("\"status\": \"ok\"", "\"status\": \"bogus\"")]
    [InlineData("\"errors\": 3", "\"errors\": 3.0")]
    [InlineData("\"errors\": 3", "\"errors\": \"3\"")]
    [InlineData("\"errors\": 3", "\"errors\": 3000000000")]
    [InlineData("\"errors\": 3", "\"errors\": null")]
    [InlineData("\"errors\": 3,", "")]
    [InlineData("\"api_calls\": 1234", "\"api_calls\": 1e3")]
    [InlineData("\"tool_version\": \"0.1.0\"", "\"tool_version\": null")]
    [InlineData("\"shard\": null,", "")]
    [InlineData("\"report_date\": \"2026-11-25\"", "\"report_date\": \"2026-11-25T00:00:00Z\"")]
    [InlineData("\"report_date\": \"2026-11-25\"", "\"report_date\": \"25/11/2026\"")]
    [InlineData("\"report_time\": \"2026-11-25T06:00:00.000Z\"", "\"report_time\": \"2026-11-25T08:00:00+02:00\"")]
    [InlineData("\"report_time\": \"2026-11-25T06:00:00.000Z\"", "\"report_time\": \"2026-11-25 06:00\"")]
    [InlineData("\"report_time\": \"2026-11-25T06:00:00.000Z\"", "\"report_time\": \"soon\"")]
    [InlineData("\"rows\": 12,", "\"rows\": 12, \"extra\": [1, {\"a\": null}],")]
    [InlineData("\"sha256\": \"ab12\"", "\"sha256\": 12")]
    [InlineData("\"format_version\": 1,", "")]
    public void The_reader_accepts_and_reads_what_the_serializer_does(string from, string to)
    {
        var json = Sample().ToJson().ReplaceLineEndings("\n");
        Assert.Contains(from, json, StringComparison.Ordinal);
        var variant = from.Length == 0 ? json : json.Replace(from, to, StringComparison.Ordinal);

        RunManifest? bySerializer = null;
        try
        {
            bySerializer = System.Text.Json.JsonSerializer.Deserialize<RunManifest>(variant, s_serializerRules);
        }
        catch (System.Text.Json.JsonException)
        {
        }
        RunManifest? byReader = null;
        try
        {
            byReader = RunManifest.FromJson(variant);
        }
        catch (InventoryStoreException)
        {
        }

        Assert.Equal(bySerializer?.ToJson(), byReader?.ToJson());
    }

    [Fact]
    public void A_null_entry_in_a_list_is_refused()
    {
        var json = Sample().ToJson().ReplaceLineEndings("\n");

        Assert.Throws<InventoryStoreException>(() => RunManifest.FromJson(json.Replace("\"files\": [", "\"files\": [null, ", StringComparison.Ordinal)));
        Assert.Throws<InventoryStoreException>(() => RunManifest.FromJson(json.Replace("\"tables\": [", "\"tables\": [7, ", StringComparison.Ordinal)));
    }

    [Fact]
    public void Makes_sortable_run_ids_from_the_start_time()
    {
        var id = RunManifest.NewRunId(new DateTimeOffset(2026, 11, 25, 15, 4, 5, TimeSpan.FromHours(2)));
        Assert.Matches(@"^20261125T130405Z-[0-9a-f]{6}$", id);
        Assert.NotEqual(id, RunManifest.NewRunId(new DateTimeOffset(2026, 11, 25, 15, 4, 5, TimeSpan.FromHours(2))));
    }
}
