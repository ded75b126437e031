using System.CommandLine;
using CloudInventory.Aws.Client;

namespace CloudInventory.Cli.Commands;

/// <summary><c>cloudinv aws</c>: the generic AWS client on the command line.</summary>
internal static class AwsCommand
{
    /// <summary>
    /// Adjusts the options of clients the commands create, for the current async flow only (tests inject
    /// credentials and a delay recorder here; parallel tests do not see each other's).
    /// </summary>
    internal static AsyncLocal<Action<AwsClientOptions>?> ConfigureClient { get; } = new();

    public static Command Create()
    {
        var aws = new Command("aws", "Call any AWS API operation from the embedded service models, and browse the models.");
        aws.Add(AwsCallCommand.Create());
        aws.Add(AwsServicesCommand.Create());
        aws.Add(AwsOperationsCommand.Create());
        return aws;
    }
}
