using System.CommandLine;
using CloudInventory.Cli;

namespace CloudInventory.Tests.Query;

/// <summary>Runs the cloudinv command line in-process, capturing standard output and error.</summary>
internal static class CliRunner
{
    public static (int Code, string Out, string Err) Run(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var code = CliApp.Build().Parse(args).Invoke(new InvocationConfiguration { Output = output, Error = error });
        return (code, output.ToString(), error.ToString());
    }
}
