using System.Text;
using Amazon.Runtime;
using Amazon.Runtime.Internal.Auth;
using CloudInventory.Aws.Signing;
using Xunit.Abstractions;

namespace CloudInventory.Tests.Aws.Signing;

/// <summary>
/// The AWS Signature Version 4 test suite (../shared/conformance/aws-sigv4), run through the signer the
/// product uses: canonical request, string to sign, Authorization header and signed request of every case.
/// </summary>
public class SigV4ConformanceTests(ITestOutputHelper output)
{
    private const string AccessKey = "AKIDEXAMPLE";
    private const string SecretKey = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
    private const string SuiteToken = "AQoDYXdzEPT//////////wEXAMPLEtc764bNrC9SAPBSM22wDOk4x4HIZ8j4FZTwdQWLWsKWHGBuFqwAeMicRXmxfpSPfIeoIYRqTflfKD8YUuwthAx7mSEI/qkPpKPi/kMcGdQrmGdeehM4IC1NtBmUpp2wUE8phUZampKsburEDy0KPkyQDYwT7WZ0wq5VSXDvp75YU9HFvlRd8Tx6q6fE8YQcHNVXAkiY9q6d+xo0rKwT38xVqr7ZD0u0iPPkUL64lIZbqBAz+scqKmlzm8FDrypNC9Yjc8fPOLn9FX9KSYvKTr4rvx3iSIlTJabIQwj2ICCR/oLxBA==";
    private static readonly DateTimeOffset s_signedAt = new(2015, 8, 30, 12, 36, 0, TimeSpan.Zero);

    public static TheoryData<string> Cases()
    {
        var data = new TheoryData<string>();
        foreach (var name in SuiteCase.All().Select(c => c.Name)) data.Add(name);
        return data;
    }

    [Fact]
    public void The_suite_is_present_and_complete()
    {
        Assert.True(Directory.Exists(SuiteCase.Root), $"missing {SuiteCase.Root}");
        Assert.Equal(34, SuiteCase.All().Count);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Signs_the_case_like_the_suite(string name)
    {
        var failures = Check(SuiteCase.All().Single(c => c.Name == name));
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    [Fact]
    public void Passes_every_case_of_the_suite()
    {
        var cases = SuiteCase.All();
        int passed = 0, failed = 0;
        var report = new StringBuilder();
        foreach (var c in cases)
        {
            var failures = Check(c);
            if (failures.Count == 0) passed++;
            else
            {
                failed++;
                report.AppendLine($"FAIL {c.Name}: {string.Join("; ", failures)}");
            }
        }
        output.WriteLine($"SigV4 suite: {passed} passed, {failed} failed, {cases.Count} cases");
        output.WriteLine(report.ToString());
        Assert.Equal(cases.Count, passed);
    }

    [Fact]
    public void Agrees_with_the_sdk_signature_computation()
    {
        // AWSSDK.Core's own string-to-sign and signature over our canonical request give the same header.
        var c = SuiteCase.All().Single(x => x.Name == "get-vanilla-query-order-encoded");
        var signature = SignCase(c);
        var sdk = AWS4Signer.ComputeSignature(new ImmutableCredentials(AccessKey, SecretKey, null), "us-east-1",
            s_signedAt.UtcDateTime, "service", signature.SignedHeaders, signature.CanonicalRequest);
        Assert.Equal(sdk.ForAuthorizationHeader, signature.Authorization);
    }

    [Fact]
    public void The_sdk_canonicalisation_primitives_do_not_pass_the_suite()
    {
        // Why AwsSigV4Signer builds the canonical request itself: AWSSDK.Core's reachable primitives, fed
        // the same requests, produce other canonical requests for these cases. If this starts failing
        // after an SDK upgrade, the SDK may be usable directly.
        var failing = SuiteCase.All().Where(c => !c.Name.Contains("session-token", StringComparison.Ordinal)
            && !c.Name.StartsWith("post-sts", StringComparison.Ordinal))
            .Where(c => SdkPrimitives.CanonicalRequest(c) != c.Expected("creq")).Select(c => c.Name).ToList();
        output.WriteLine($"AWSSDK.Core primitives: {failing.Count} cases differ: {string.Join(", ", failing)}");
        Assert.Contains("get-slash-dot-slash", failing);
        Assert.Contains("get-vanilla-query-order-encoded", failing);
        Assert.Contains("get-special-character", failing);
    }

    [Fact]
    public void Signs_s3_requests_without_normalising_and_with_a_payload_hash_header()
    {
        var signature = AwsSigV4Signer.Sign("GET", "s3.amazonaws.com", "/bucket/a//b/./c%20d", [], [], [],
            new ImmutableCredentials(AccessKey, SecretKey, null), new AwsSigningParameters("us-east-1", "s3", s_signedAt));
        Assert.Contains("\n/bucket/a//b/./c%20d\n", signature.CanonicalRequest, StringComparison.Ordinal);
        Assert.Equal("host;x-amz-content-sha256;x-amz-date", signature.SignedHeaders);
        Assert.Contains(signature.Headers, h => h.Key == "X-Amz-Content-SHA256" && h.Value == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    }

    [Fact]
    public void Encodes_already_encoded_paths_again_for_other_services()
    {
        var signature = AwsSigV4Signer.Sign("GET", "lambda.us-east-1.amazonaws.com", "/2015-03-31/functions/a%3Ab", [], [], [],
            new ImmutableCredentials(AccessKey, SecretKey, null), new AwsSigningParameters("us-east-1", "lambda", s_signedAt));
        Assert.Contains("\n/2015-03-31/functions/a%253Ab\n", signature.CanonicalRequest, StringComparison.Ordinal);
    }

    private static AwsSignature SignCase(SuiteCase c)
    {
        // Temporary credentials: get-vanilla-with-session-token expects this token signed (it is not in its .req);
        // post-sts-header-before carries the suite's token in its .req; post-sts-header-after adds it after signing.
        string? token = c.Name switch
        {
            "get-vanilla-with-session-token" => "6e86291e8372ff2a2260956d9b8aae1d763fbf315fa00fa31553b73ebf194267",
            "post-sts-header-after" => SuiteToken,
            _ => null,
        };
        var headers = c.Headers.Where(h => !(token is not null && h.Key.Equals("X-Amz-Security-Token", StringComparison.OrdinalIgnoreCase))).ToList();
        var parameters = new AwsSigningParameters("us-east-1", "service", s_signedAt) { SignSessionToken = c.Name != "post-sts-header-after" };
        return AwsSigV4Signer.Sign(c.Method, "example.amazonaws.com", c.Path, c.Query, headers, Encoding.UTF8.GetBytes(c.Body),
            new ImmutableCredentials(AccessKey, SecretKey, token), parameters);
    }

    private static List<string> Check(SuiteCase c)
    {
        var failures = new List<string>();
        var signature = SignCase(c);
        if (signature.CanonicalRequest != c.Expected("creq")) failures.Add($"canonical request:\n{signature.CanonicalRequest}\n--- expected:\n{c.Expected("creq")}");
        if (signature.StringToSign != c.Expected("sts")) failures.Add($"string to sign:\n{signature.StringToSign}\n--- expected:\n{c.Expected("sts")}");
        if (signature.Authorization != c.Expected("authz")) failures.Add($"authorization: {signature.Authorization}");
        // The signed request: the original request plus the added headers (the suite writes "Authorization: ").
        var sent = c.Headers.Select(h => h.Key + ":" + h.Value).ToList();
        foreach (var (name, value) in signature.Headers)
        {
            if (name == "X-Amz-Date") continue;
            var line = name == "Authorization" ? $"{name}: {value}" : $"{name}:{value}";
            if (!sent.Contains(line, StringComparer.Ordinal)) sent.Add(line);
        }
        var expectedLines = c.SignedRequestHeaderLines();
        if (c.Name == "get-vanilla-with-session-token")
        {
            // The suite's .sreq of this case carries get-vanilla's signature (5fa00f...), contradicting its own
            // .creq/.sts/.authz (which we match); its other lines are checked, the Authorization against .authz.
            expectedLines = expectedLines.Select(l => l.StartsWith("Authorization:", StringComparison.Ordinal) ? "Authorization: " + c.Expected("authz") : l).ToList();
        }
        if (!expectedLines.Order(StringComparer.Ordinal).SequenceEqual(sent.Order(StringComparer.Ordinal), StringComparer.Ordinal))
        {
            failures.Add($"signed request headers: [{string.Join(" | ", sent)}] vs [{string.Join(" | ", expectedLines)}]");
        }
        return failures;
    }

    /// <summary>AWSSDK.Core's protected canonicalisation primitives, reached by derivation.</summary>
    private sealed class SdkPrimitives : AWS4Signer
    {
        public static string CanonicalRequest(SuiteCase c)
        {
            var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            foreach (var (name, value) in c.Headers) headers[name] = headers.TryGetValue(name, out var e) ? e + "," + value : value;
            var sorted = SortAndPruneHeaders(headers);
            var query = CanonicalizeQueryParameters(c.Query.Select(q => new KeyValuePair<string, string>(q.Key, q.Value ?? "")));
            var hash = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(c.Body)));
            return CanonicalizeRequest(new Uri("https://" + headers["Host"]), c.Path, c.Method, sorted, query, hash, null, false);
        }
    }

    /// <summary>One case of the suite, parsed from its <c>.req</c> file.</summary>
    private sealed record SuiteCase(string Name, string Directory, string Method, string Path,
        List<KeyValuePair<string, string?>> Query, List<KeyValuePair<string, string>> Headers, string Body)
    {
        public static string Root { get; } = RepositoryRoot.Conformance("aws-sigv4");

        private static readonly Lazy<List<SuiteCase>> s_all = new(() => System.IO.Directory
            .GetFiles(Root, "*.req", SearchOption.AllDirectories).Order(StringComparer.Ordinal).Select(Parse).ToList());

        public static List<SuiteCase> All() => s_all.Value;

        public string Expected(string extension) =>
            File.ReadAllText(System.IO.Path.Combine(Directory, Name + "." + extension)).Replace("\r\n", "\n", StringComparison.Ordinal);

        /// <summary>The header lines of the .sreq, with folded lines joined to the header they continue.</summary>
        public List<string> SignedRequestHeaderLines()
        {
            var lines = Expected("sreq").Split('\n');
            var result = new List<string>();
            for (var i = 1; i < lines.Length && lines[i].Length > 0; i++)
            {
                if (char.IsWhiteSpace(lines[i][0])) result[^1] += "\n" + lines[i];
                else result.Add(lines[i]);
            }
            return result;
        }

        private static SuiteCase Parse(string file)
        {
            var lines = File.ReadAllText(file).Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
            var requestLine = lines[0];
            var method = requestLine[..requestLine.IndexOf(' ', StringComparison.Ordinal)];
            var target = requestLine[(method.Length + 1)..requestLine.LastIndexOf(" HTTP/", StringComparison.Ordinal)];
            var headers = new List<KeyValuePair<string, string>>();
            var i = 1;
            for (; i < lines.Length && lines[i].Length > 0; i++)
            {
                if (char.IsWhiteSpace(lines[i][0]))
                {
                    headers[^1] = new(headers[^1].Key, headers[^1].Value + "\n" + lines[i]);
                    continue;
                }
                var colon = lines[i].IndexOf(':', StringComparison.Ordinal);
                headers.Add(new(lines[i][..colon], lines[i][(colon + 1)..]));
            }
            var body = i < lines.Length ? string.Join('\n', lines[(i + 1)..]) : "";
            var q = target.IndexOf('?', StringComparison.Ordinal);
            var query = new List<KeyValuePair<string, string?>>();
            if (q >= 0)
            {
                foreach (var part in target[(q + 1)..].Split('&', StringSplitOptions.RemoveEmptyEntries))
                {
                    var eq = part.IndexOf('=', StringComparison.Ordinal);
                    query.Add(eq < 0
                        ? new(Uri.UnescapeDataString(part), null)
                        : new(Uri.UnescapeDataString(part[..eq]), Uri.UnescapeDataString(part[(eq + 1)..])));
                }
            }
            return new SuiteCase(System.IO.Path.GetFileNameWithoutExtension(file), System.IO.Path.GetDirectoryName(file)!, method,
                q < 0 ? target : target[..q], query, headers, body);
        }

    }
}
