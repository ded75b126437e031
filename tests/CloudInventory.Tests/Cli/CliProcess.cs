using System.Diagnostics;
using CloudInventory.Simulator;

namespace CloudInventory.Tests.Cli;

/// <summary>The real <c>cloudinv</c> as a process (<c>dotnet cloudinv.dll …</c>) with a simulator's management credentials and nothing of the machine's AWS or OTLP settings.</summary>
internal static class CliProcess
{
    public static ProcessStartInfo StartInfo(SimulatedCloud cloud, IEnumerable<string> args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "cloudinv.dll"));
        foreach (var arg in args) start.ArgumentList.Add(arg);
        start.Environment["AWS_ACCESS_KEY_ID"] = cloud.ManagementAccessKey;
        start.Environment["AWS_SECRET_ACCESS_KEY"] = cloud.SecretFor(cloud.ManagementAccessKey);
        start.Environment["AWS_REGION"] = "us-east-1";
        foreach (var name in new[] { "AWS_SESSION_TOKEN", "AWS_PROFILE", "OTEL_EXPORTER_OTLP_ENDPOINT", "CLOUDINV_AUTH_TOKEN", "CLOUDINV_CONFIG" }) start.Environment.Remove(name);
        return start;
    }
}
