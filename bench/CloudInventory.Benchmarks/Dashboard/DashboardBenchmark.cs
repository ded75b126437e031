using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using CloudInventory.Catalog;
using Microsoft.Playwright;

namespace CloudInventory.Benchmarks.Dashboard;

/// <summary>
/// The dashboard at scale (issue 14): generates (or reuses) a 365-day × 100k-resource history store with
/// <see cref="DashboardStoreGenerator"/>, starts the real <c>cloudinv serve</c> on it as its own process, and measures
/// every API request behind the Overview and Changes pages (first request, then warm median, p95 and max), the Overview
/// and Changes pages complete in Chromium (Playwright on <c>/usr/bin/chromium</c>), the server's resident memory under
/// that load, and the same questions through <c>cloudinv query</c>/<c>diff</c> processes as the baseline. Prints the
/// machine's load with the numbers.
/// <code>dotnet run -c Release --project bench/CloudInventory.Benchmarks -- dashboard [--days 365] [--per-day 100000] [--dir DIR] [--reuse] [--keep] [--repeats 20] [--baseline-repeats 2] [--no-browser] [--no-baseline]</code>
/// The CLI must be built first (<c>dotnet build src/CloudInventory.Cli -c Release</c>); <c>--reuse</c> keeps a store generated before.
/// </summary>
internal static class DashboardBenchmark
{
    public const string Command = "dashboard";

    public static async Task<int> RunAsync(string[] args)
    {
        var days = BenchArgs.Int(args, "--days", 365);
        var perDay = BenchArgs.Int(args, "--per-day", 100_000);
        var repeats = BenchArgs.Int(args, "--repeats", 20);
        // Each baseline question is a process that opens the year's store (tens of seconds on a loaded machine): fewer repeats.
        var baselineRepeats = BenchArgs.Int(args, "--baseline-repeats", 2);
        var dir = BenchArgs.Text(args, "--dir") ?? Path.Combine(Path.GetTempPath(), "cloudinv-dashboard-bench");
        var store = Path.Combine(dir, "store");
        var reuse = args.Contains("--reuse") && Directory.Exists(Path.Combine(store, "_runs"));
        var cli = CliPath();
        Console.WriteLine($"machine: {Environment.ProcessorCount} cores, load average {Load()} at the start ({DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC)");
        try
        {
            if (!reuse)
            {
                if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
                Console.WriteLine($"generating {days} days x {perDay:N0} resources into {store}");
                var took = await DashboardStoreGenerator.GenerateAsync(store, days, perDay, TableCatalog.Default, Console.WriteLine);
                var bytes = Directory.EnumerateFiles(store, "*.parquet", SearchOption.AllDirectories).Sum(f => new FileInfo(f).Length);
                Console.WriteLine($"generated {(long)days * perDay:N0} resource-days in {took.TotalSeconds:F0} s ({bytes / 1e9:F2} GB of Parquet), load average {Load()}");
            }
            var latest = DashboardStoreGenerator.FirstDay(days).AddDays(days - 1);
            var results = new List<Measurement>();
            long peakRss, rss;
            using (var server = ServeProcess.Start(cli, store))
            {
                await server.WaitReadyAsync();
                Console.WriteLine($"serve started: {server.Address}, RSS {server.RssBytes() / 1e6:F0} MB");
                using var http = new HttpClient { BaseAddress = server.Address, Timeout = TimeSpan.FromMinutes(5) };
                foreach (var (page, path) in Requests(latest))
                {
                    results.Add(await MeasureAsync(page, path, repeats, () => GetAsync(http, path)));
                }
                if (!args.Contains("--no-browser"))
                {
                    results.Add(await PageAsync(server.Address, "/", "Overview page complete in Chromium", Math.Min(repeats, 10)));
                    results.Add(await PageAsync(server.Address, "/changes", "Changes page complete in Chromium", Math.Min(repeats, 10)));
                }
                peakRss = server.PeakRssBytes();
                rss = server.RssBytes();
            }
            var baseline = new List<Measurement>();
            foreach (var (what, cliArgs) in args.Contains("--no-baseline") ? [] : Baseline(latest))
            {
                baseline.Add(await MeasureAsync("cloudinv", what, Math.Max(1, baselineRepeats), () => RunCliAsync(cli, [.. cliArgs, "--store", store])));
            }

            Console.WriteLine();
            Console.WriteLine($"load average at the end: {Load()}");
            Console.WriteLine($"serve memory: peak RSS (VmHWM) {peakRss / 1e6:F0} MB, RSS at the end {rss / 1e6:F0} MB (goal < 400 MB)");
            Console.WriteLine();
            Console.WriteLine("| page | request | first ms | median ms | p95 ms | max ms |");
            Console.WriteLine("|---|---|---:|---:|---:|---:|");
            foreach (var m in results.Concat(baseline)) Console.WriteLine($"| {m.Page} | `{m.What}` | {m.First:F0} | {m.Median:F0} | {m.P95:F0} | {m.Max:F0} |");
            return 0;
        }
        finally
        {
            if (!args.Contains("--keep") && !reuse && Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
        }
    }

    /// <summary>
    /// The API requests the Overview and Changes pages send (wwwroot/js/app.js, pages/overview.js, pages/changes.js), with their
    /// defaults, as the browser sends them (dom.js leaves out empty parameters).
    /// </summary>
    public static IEnumerable<(string Page, string Path)> Requests(DateOnly latest)
    {
        var until = Day(latest);
        var since = Day(latest.AddDays(-29));
        var from = Day(latest.AddDays(-7));
        // Every page first loads the store's facts (filters, dates).
        yield return ("all (shell)", "/api/v1/tables");
        yield return ("all (shell)", "/api/v1/runs?limit=1000");
        yield return ("all (shell)", "/api/v1/trend?by=account");
        yield return ("all (shell)", "/api/v1/trend?by=region");
        foreach (var by in new[] { "cloud", "table", "account", "region" })
        {
            yield return ("Overview", $"/api/v1/trend?by={by}&since={since}&until={until}");
        }
        yield return ("Overview", "/api/v1/runs?limit=10");
        yield return ("Changes", $"/api/v1/diff?from={from}&to={until}&summary=true");
        yield return ("Changes", $"/api/v1/churn?since={Day(latest.AddDays(-6))}&until={until}");
        yield return ("Changes (drill-down)", $"/api/v1/diff?table=aws_ec2_instances&from={from}&to={until}&max_results=500");
        yield return ("Overview, tag filter", $"/api/v1/trend?tag=Application%3Dapp-7&by=table&since={since}&until={until}");
    }

    /// <summary>The same questions through the command line (one process each, as a user asks them).</summary>
    private static IEnumerable<(string What, string[] Args)> Baseline(DateOnly latest)
    {
        var tables = DashboardStoreGenerator.Tables.Select(t => t.Table).ToArray();
        var total = "SELECT sum(n)::BIGINT FROM (" + string.Join(" UNION ALL ", tables.Select(t => $"SELECT count(*) AS n FROM current_{t}")) + ")";
        var since = Day(latest.AddDays(-29));
        var perDay = "SELECT report_date, account_id, sum(n)::BIGINT FROM (" + string.Join(" UNION ALL ",
            tables.Select(t => $"SELECT report_date, account_id, count(*) AS n FROM daily_{t} WHERE report_date >= DATE '{since}' GROUP BY ALL")) + ") GROUP BY ALL ORDER BY 1, 2";
        yield return ("query: total of the latest snapshot", ["query", total, "--format", "csv"]);
        yield return ("query: resources per day by account, 30 days", ["query", perDay, "--format", "csv"]);
        yield return ("trend --by account (whole history)", ["trend", "--by", "account", "--format", "csv"]);
        yield return ("diff --summary, a week", ["diff", "--from", Day(latest.AddDays(-7)), "--to", Day(latest), "--summary", "--format", "csv"]);
    }

    private static async Task GetAsync(HttpClient http, string path)
    {
        using var response = await http.GetAsync(path);
        var body = await response.Content.ReadAsStringAsync();
        if (response.StatusCode != HttpStatusCode.OK) throw new InvalidOperationException($"{path}: {(int)response.StatusCode} {body}");
    }

    private static async Task<Measurement> PageAsync(Uri address, string path, string what, int repeats)
    {
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = "/usr/bin/chromium", Headless = true, Args = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"],
        });
        var context = await browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1400, Height = 1000 } });
        var errors = new List<string>();
        return await MeasureAsync(what, path, repeats, async () =>
        {
            var page = await context.NewPageAsync();
            page.Console += (_, m) => { if (m.Type == "error") errors.Add(m.Text); };
            await page.GotoAsync(new Uri(address, path).ToString());
            // The shell sets data-ready when the page's data is in and its charts are drawn (an error shows 'error').
            await page.WaitForSelectorAsync("body[data-ready]:not([data-ready='error'])", new PageWaitForSelectorOptions { Timeout = 120_000 });
            await page.CloseAsync();
            if (errors.Count > 0) throw new InvalidOperationException($"{path}: console errors: {string.Join("; ", errors)}");
        });
    }

    private static async Task RunCliAsync(string cli, string[] args)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(cli);
        foreach (var a in args) info.ArgumentList.Add(a);
        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0) throw new InvalidOperationException($"cloudinv {string.Join(' ', args)}: exit {process.ExitCode}: {await error}");
        await output;
    }

    private static async Task<Measurement> MeasureAsync(string page, string what, int repeats, Func<Task> run)
    {
        var sw = Stopwatch.StartNew();
        await run();
        var first = sw.Elapsed.TotalMilliseconds;
        var ms = new double[repeats];
        for (var i = 0; i < repeats; i++)
        {
            sw.Restart();
            await run();
            ms[i] = sw.Elapsed.TotalMilliseconds;
        }
        Array.Sort(ms);
        var m = new Measurement(page, what, first, ms[ms.Length / 2], ms[Math.Min(ms.Length - 1, (int)Math.Ceiling(ms.Length * 0.95) - 1)], ms[^1]);
        Console.WriteLine($"{page} {what}: first {m.First:F0} ms, median {m.Median:F0} ms, p95 {m.P95:F0} ms (load {Load()})");
        return m;
    }

    private static string Day(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static string Load() => File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";

    /// <summary>The built CLI (<c>src/CloudInventory.Cli/bin/Release/net10.0/cloudinv.dll</c>) of this checkout.</summary>
    private static string CliPath()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "CloudInventory.slnx"))) dir = dir.Parent;
        var cli = Path.Combine(dir?.FullName ?? ".", "src", "CloudInventory.Cli", "bin", "Release", "net10.0", "cloudinv.dll");
        return File.Exists(cli) ? cli : throw new InvalidOperationException($"{cli} is missing: run `dotnet build src/CloudInventory.Cli -c Release` first.");
    }

    private sealed record Measurement(string Page, string What, double First, double Median, double P95, double Max);

    /// <summary><c>cloudinv serve</c> in its own process, on a free loopback port.</summary>
    private sealed class ServeProcess : IDisposable
    {
        private readonly Process _process;

        private ServeProcess(Process process, Uri address)
        {
            _process = process;
            Address = address;
        }

        public Uri Address { get; }

        public static ServeProcess Start(string cli, string store)
        {
            using var probe = new TcpListener(IPAddress.Loopback, 0);
            probe.Start();
            var port = ((IPEndPoint)probe.LocalEndpoint).Port;
            probe.Stop();
            var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (var a in new[] { cli, "serve", "--store", store, "--listen", $"127.0.0.1:{port}" }) info.ArgumentList.Add(a);
            var process = Process.Start(info)!;
            process.OutputDataReceived += (_, _) => { };
            process.ErrorDataReceived += (_, e) => { if (e.Data is not null) Console.Error.WriteLine("serve: " + e.Data); };
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            return new ServeProcess(process, new Uri($"http://127.0.0.1:{port}/"));
        }

        public async Task WaitReadyAsync()
        {
            using var http = new HttpClient { BaseAddress = Address };
            for (var i = 0; i < 600; i++)
            {
                if (_process.HasExited) throw new InvalidOperationException($"serve exited with {_process.ExitCode}");
                try
                {
                    using var response = await http.GetAsync("/api/v1/tables");
                    if (response.IsSuccessStatusCode) return;
                }
                catch (HttpRequestException)
                {
                }
                await Task.Delay(200);
            }
            throw new InvalidOperationException("serve did not answer within two minutes");
        }

        public long RssBytes() => StatusKb("VmRSS:") * 1024;

        public long PeakRssBytes() => StatusKb("VmHWM:") * 1024;

        private long StatusKb(string field)
        {
            foreach (var line in File.ReadLines($"/proc/{_process.Id}/status"))
            {
                if (line.StartsWith(field, StringComparison.Ordinal)) return long.Parse(line[field.Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
            }
            return -1;
        }

        public void Dispose()
        {
            if (!_process.HasExited)
            {
                _process.Kill();
                _process.WaitForExit(10_000);
            }
            _process.Dispose();
        }
    }
}
