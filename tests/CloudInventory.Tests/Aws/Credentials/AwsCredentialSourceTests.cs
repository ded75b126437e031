using CloudInventory.Aws.Credentials;

namespace CloudInventory.Tests.Aws.Credentials;

public class AwsCredentialSourceTests
{
    [Fact]
    public async Task Static_credentials_carry_the_session_token()
    {
        var credentials = await AwsCredentialSource.Static("AKIDTEST", "secret-key", "token-1").GetCredentialsAsync();
        Assert.Equal("AKIDTEST", credentials.AccessKey);
        Assert.Equal("secret-key", credentials.SecretKey);
        Assert.True(credentials.UseToken);
        Assert.Equal("token-1", credentials.Token);
    }

    [Fact]
    public async Task Reads_a_named_profile_from_a_credentials_file()
    {
        var file = WriteCredentialsFile("[audit]\naws_access_key_id = AKIDAUDIT\naws_secret_access_key = audit-secret\n");
        try
        {
            var source = AwsCredentialSource.Profile("audit", file);
            var credentials = await source.GetCredentialsAsync();
            Assert.Equal("AKIDAUDIT", credentials.AccessKey);
            Assert.Equal("audit-secret", credentials.SecretKey);
            Assert.Equal("profile 'audit'", source.ToString());
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task A_missing_profile_fails_with_a_message_that_names_it_and_no_keys()
    {
        var file = WriteCredentialsFile("[other]\naws_access_key_id = AKIDOTHER\naws_secret_access_key = other-secret\n");
        try
        {
            var error = await Assert.ThrowsAsync<AwsCredentialsException>(() => AwsCredentialSource.Profile("missing", file).GetCredentialsAsync());
            Assert.Contains("'missing'", error.Message, StringComparison.Ordinal);
            Assert.DoesNotContain("other-secret", error.Message, StringComparison.Ordinal);
            Assert.DoesNotContain("AKIDOTHER", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public void Static_credentials_require_both_keys()
    {
        Assert.ThrowsAny<ArgumentException>(() => AwsCredentialSource.Static("", "x"));
        Assert.ThrowsAny<ArgumentException>(() => AwsCredentialSource.Static("AKID", ""));
    }

    private static string WriteCredentialsFile(string content)
    {
        var file = Path.Combine(Path.GetTempPath(), $"cloudinv-creds-{Guid.NewGuid():N}");
        File.WriteAllText(file, content);
        return file;
    }
}
