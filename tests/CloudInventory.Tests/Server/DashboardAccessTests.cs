using System.Net;
using CloudInventory.Server;
using CloudInventory.Tests.Query;

namespace CloudInventory.Tests.Server;

/// <summary>Who may use the server: a token beyond loopback (bearer or login cookie), loopback host names only without one, rate limits.</summary>
[Collection(DemoStoreCollection.Name)]
public sealed class DashboardAccessTests(DemoStoreFixture store)
{
    [Fact]
    public async Task Refuses_to_listen_beyond_loopback_without_a_token()
    {
        var e = await Assert.ThrowsAsync<DashboardStartException>(() => DashboardServer.StartAsync(new DashboardServerOptions { Store = store.Store, Listen = "0.0.0.0:0" }));
        Assert.Contains("--auth-token", e.Message, StringComparison.Ordinal);
        var (code, _, error) = CliRunner.Run("serve", "--store", store.Store, "--listen", "0.0.0.0:0");
        Assert.Equal(2, code);
        Assert.StartsWith("error: --listen 0.0.0.0:0 is beyond loopback", error, StringComparison.Ordinal);
        Assert.Single(error.Trim().Split('\n'));
    }

    [Theory]
    [InlineData("localhost", "is not host:port")]
    [InlineData("example.com:80", "is not an IP address")]
    [InlineData("127.0.0.1:99999", "is not host:port")]
    public void Refuses_a_listen_address_it_cannot_use(string listen, string message)
    {
        var (code, _, error) = CliRunner.Run("serve", "--store", store.Store, "--listen", listen);
        Assert.Equal(2, code);
        Assert.Contains(message, error, StringComparison.Ordinal);
    }

    [Fact]
    public void Refuses_a_store_that_does_not_exist()
    {
        var (code, _, error) = CliRunner.Run("serve", "--store", Path.Combine(store.Store, "nope"), "--listen", "127.0.0.1:0");
        Assert.Equal(2, code);
        Assert.StartsWith("error: store ", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Beyond_loopback_every_request_needs_the_token_as_bearer_or_login_cookie()
    {
        await using var server = await DashboardServer.StartAsync(new DashboardServerOptions { Store = store.Store, Listen = "0.0.0.0:0", AuthToken = "s3cret-token" });
        Assert.False(server.IsLoopback);
        var address = new Uri($"http://127.0.0.1:{server.Address.Port}/");
        using var handler = new HttpClientHandler { AllowAutoRedirect = false, UseCookies = true, CookieContainer = new CookieContainer() };
        using var http = new HttpClient(handler) { BaseAddress = address };

        using (var anonymous = await http.GetAsync("/api/v1/runs"))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
            Assert.Equal("Bearer", anonymous.Headers.WwwAuthenticate.ToString());
            Assert.Contains("authentication required", await anonymous.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
        using (var page = await http.GetAsync("/"))
        {
            Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);
            Assert.Equal("/login", page.Headers.Location?.ToString());
        }
        using (var openapi = await http.GetAsync("/openapi/v1.json")) Assert.Equal(HttpStatusCode.Unauthorized, openapi.StatusCode);
        using (var wrong = new HttpRequestMessage(HttpMethod.Get, "/api/v1/runs"))
        {
            wrong.Headers.Authorization = new("Bearer", "guess");
            using var response = await http.SendAsync(wrong);
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        }
        using (var bearer = new HttpRequestMessage(HttpMethod.Get, "/api/v1/runs"))
        {
            bearer.Headers.Authorization = new("Bearer", "s3cret-token");
            using var response = await http.SendAsync(bearer);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        using (var failed = await http.PostAsync("/login", new FormUrlEncodedContent([new("token", "guess")])))
        {
            Assert.Equal("/login?failed=1", failed.Headers.Location?.ToString());
            Assert.Empty(handler.CookieContainer.GetCookies(address));
        }
        using (var login = await http.PostAsync("/login", new FormUrlEncodedContent([new("token", "s3cret-token")])))
        {
            Assert.Equal(HttpStatusCode.Redirect, login.StatusCode);
            var setCookie = string.Join(";", login.Headers.GetValues("Set-Cookie"));
            Assert.Contains("httponly", setCookie, StringComparison.OrdinalIgnoreCase);
            Assert.Contains("samesite=strict", setCookie, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("s3cret-token", setCookie, StringComparison.Ordinal);
        }
        using (var withCookie = await http.GetAsync("/api/v1/runs")) Assert.Equal(HttpStatusCode.OK, withCookie.StatusCode);
        using (var pageWithCookie = await http.GetAsync("/")) Assert.Equal(HttpStatusCode.OK, pageWithCookie.StatusCode);
    }

    [Fact]
    public async Task Without_a_token_a_loopback_server_answers_only_loopback_host_names()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/runs");
        request.Headers.Host = "attacker.example";
        using var response = await store.Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.MisdirectedRequest, response.StatusCode);
        using var localhost = new HttpRequestMessage(HttpMethod.Get, "/api/v1/tables");
        localhost.Headers.Host = $"localhost:{store.Server.Address.Port}";
        using var ok = await store.Http.SendAsync(localhost);
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
    }

    [Fact]
    public async Task Limits_the_requests_per_minute_of_one_client()
    {
        await using var server = await DashboardServer.StartAsync(new DashboardServerOptions { Store = store.Store, Listen = "127.0.0.1:0", RequestsPerMinute = 3 });
        using var http = new HttpClient { BaseAddress = server.Address };
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 4; i++)
        {
            using var response = await http.GetAsync("/api/v1/tables");
            statuses.Add(response.StatusCode);
        }
        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests], statuses);
    }
}
