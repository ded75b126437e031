using CloudInventory.Collection.Internal;

namespace CloudInventory.Tests.Collection.Internal;

public sealed class RunWriterTests
{
    [Fact]
    public void Stages_in_a_fresh_private_folder_never_one_named_after_the_run()
    {
        const string runId = "20261120T060000Z-5ba4d0";
        // What another local user could pre-create for a known run id.
        var predictable = Path.Combine(Path.GetTempPath(), "cloudinv-run-" + runId);
        Directory.CreateDirectory(predictable);
        try
        {
            using var first = new RunWriter(runId, null, new DateOnly(2026, 11, 20));
            using var second = new RunWriter(runId, null, new DateOnly(2026, 11, 20));

            Assert.NotEqual(predictable, first.StagingDirectory);
            Assert.NotEqual(first.StagingDirectory, second.StagingDirectory);
            Assert.DoesNotContain(runId, first.StagingDirectory, StringComparison.Ordinal);
            if (!OperatingSystem.IsWindows())
            {
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(first.StagingDirectory));
            }
        }
        finally
        {
            Directory.Delete(predictable);
        }
    }
}
