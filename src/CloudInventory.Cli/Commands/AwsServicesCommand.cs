using System.CommandLine;
using CloudInventory.Aws.Models;
using CloudInventory.Cli.Settings;

namespace CloudInventory.Cli.Commands;

/// <summary><c>cloudinv aws services</c>: the embedded services with endpoint prefix, protocol and operation count.</summary>
internal static class AwsServicesCommand
{
    public static Command Create()
    {
        var settings = new CommandSettings().WithFormats(QueryResultWriter.RowFormats);
        var command = new Command("services", "List the AWS services of the embedded models: name, endpoint prefix, protocol, operations.");
        settings.AddTo(command);
        command.SetAction(parseResult =>
        {
            var output = parseResult.InvocationConfiguration.Output;
            var values = settings.Resolve(parseResult);
            var services = AwsModelBundle.Default.Services;
            if (values.Format != "table")
            {
                QueryResultWriter.WriteRows(["service", "prefix", "protocol", "operations"],
                    services.Select(s => new object?[] { s.Name, s.EndpointPrefix, s.Protocol, s.OperationCount }).ToArray(), values.Format, output, values.Terminal);
                return CliApp.Done;
            }
            var nameWidth = Math.Max(7, services.Max(s => s.Name.Length));
            var prefixWidth = Math.Max(6, services.Max(s => s.EndpointPrefix.Length));
            output.WriteLine($"{"SERVICE".PadRight(nameWidth)}  {"PREFIX".PadRight(prefixWidth)}  {"PROTOCOL",-9}  OPS");
            foreach (var s in services)
            {
                output.WriteLine($"{s.Name.PadRight(nameWidth)}  {s.EndpointPrefix.PadRight(prefixWidth)}  {s.Protocol,-9}  {s.OperationCount}");
            }
            output.WriteLine($"{services.Count} services from {AwsModelBundle.Default.Source}");
            return 0;
        });
        return command;
    }
}
