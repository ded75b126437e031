using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace CloudInventory.Tests.Server;

/// <summary>POST /api/v1/query: the store's views answer; files, the environment, settings, extensions and several statements are refused with one clear message.</summary>
[Collection(DemoStoreCollection.Name)]
public sealed class SqlSandboxTests(DemoStoreFixture store)
{
    private async Task<(HttpStatusCode Status, string Body)> QueryAsync(object request)
    {
        using var response = await store.Http.PostAsJsonAsync("/api/v1/query", request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("select * from read_text('/etc/passwd')", "read_text")]
    [InlineData("select read_text('/etc/passwd')", "read_text")]
    [InlineData("select content from read_blob('/etc/hostname')", "read_blob")]
    [InlineData("select * from read_csv('/etc/passwd')", "read_csv")]
    [InlineData("select * from read_csv_auto('/etc/passwd')", "read_csv_auto")]
    [InlineData("select * from read_parquet('/tmp/x.parquet')", "read_parquet")]
    [InlineData("select * from '/etc/passwd'", "is a file")]
    [InlineData("select * from glob('/*')", "glob")]
    [InlineData("select getenv('HOME')", "getenv")]
    [InlineData("select * from duckdb_settings()", "duckdb_settings")]
    [InlineData("select current_setting('allowed_directories')", "current_setting")]
    [InlineData("copy (select 1) to '/tmp/cloudinv-sandbox.csv'", "COPY")]
    [InlineData("attach '/tmp/cloudinv-sandbox.db' as x", "ATTACH")]
    [InlineData("install httpfs", "INSTALL")]
    [InlineData("load httpfs", "LOAD")]
    [InlineData("set enable_external_access = true", "SET")]
    [InlineData("select 1; select 2", "2 statements")]
    [InlineData("with x as (select * from read_text('/etc/passwd')) select * from x", "read_text")]
    [InlineData("select (select content from read_text('/etc/passwd'))", "read_text")]
    public async Task Refuses_what_reaches_beyond_the_views_with_one_clear_message(string sql, string what)
    {
        var (status, body) = await QueryAsync(new { sql });
        Assert.Equal(HttpStatusCode.BadRequest, status);
        using var doc = JsonDocument.Parse(body);
        var error = doc.RootElement.GetProperty("error").GetString()!;
        Assert.StartsWith("refused: ", error, StringComparison.Ordinal);
        Assert.Contains(what, error, StringComparison.Ordinal);
        Assert.DoesNotContain("\n", error, StringComparison.Ordinal);
        Assert.DoesNotContain("root:", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Answers_a_select_over_the_views_like_cloudinv_query()
    {
        const string sql = "select account_id, count(*) as n from current_aws_ec2_instances group by 1 order by 1";
        var (status, body) = await QueryAsync(new { sql });
        Assert.True(status == HttpStatusCode.OK, body);
        using var doc = JsonDocument.Parse(body);
        var expected = store.Query(sql).Select(r => (r.GetProperty("account_id").GetString(), r.GetProperty("n").GetInt64()));
        Assert.Equal(expected, doc.RootElement.GetProperty("rows").EnumerateArray().Select(r => (r[0].GetString(), r[1].GetInt64())));
        Assert.Equal(["account_id", "n"], doc.RootElement.GetProperty("columns").EnumerateArray().Select(c => c.GetProperty("name").GetString()));
        Assert.False(doc.RootElement.GetProperty("truncated").GetBoolean());
    }

    [Fact]
    public async Task Cuts_the_result_at_the_row_cap_and_says_so()
    {
        var (status, body) = await QueryAsync(new { sql = "select * from range(100)", max_rows = 10 });
        Assert.Equal(HttpStatusCode.OK, status);
        using var doc = JsonDocument.Parse(body);
        Assert.Equal(10, doc.RootElement.GetProperty("rows").GetArrayLength());
        Assert.Equal(10, doc.RootElement.GetProperty("row_count").GetInt64());
        Assert.True(doc.RootElement.GetProperty("truncated").GetBoolean());
    }

    [Fact]
    public async Task Streams_csv_when_asked()
    {
        var (status, body) = await QueryAsync(new { sql = "select 'a,b' as x, 2 as y union all select 'c\"d', 3 order by y", format = "csv" });
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("x,y\r\n\"a,b\",2\r\n\"c\"\"d\",3\r\n", body);
    }

    [Fact]
    public async Task Reports_sql_errors_with_duckdbs_message()
    {
        var (status, body) = await QueryAsync(new { sql = "select * from current_aws_ec2_instancez" });
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("current_aws_ec2_instances", body, StringComparison.Ordinal);
    }
}
