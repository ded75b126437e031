using CloudInventory.Cli;

namespace CloudInventory.Tests.Query;

/// <summary>Runs the cloudinv command line in-process as the tool does (parse errors and exceptions handled), capturing standard output and error.</summary>
internal static class CliRunner
{
    public static (int Code, string Out, string Err) Run(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var code = CliApp.Invoke(args, output, error);
        return (code, output.ToString(), error.ToString());
    }
}
