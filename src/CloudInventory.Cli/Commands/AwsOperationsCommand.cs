using System.CommandLine;
using CloudInventory.Aws.Models;
using CloudInventory.Cli.Settings;

namespace CloudInventory.Cli.Commands;

/// <summary><c>cloudinv aws operations &lt;service&gt;</c>: a service's operations, marking read and paged ones.</summary>
internal static class AwsOperationsCommand
{
    public static Command Create()
    {
        var service = new Argument<string?>("service") { Description = "The service name or endpoint prefix (see `cloudinv aws services`).", Arity = ArgumentArity.ZeroOrOne };
        var command = new Command("operations", "List a service's operations; 'read' marks read-only ones, 'paged' those with a paginator.")
        {
            service,
        };
        var settings = new CommandSettings().WithFormats(QueryResultWriter.RowFormats);
        settings.AddTo(command);
        command.SetAction(parseResult =>
        {
            var error = parseResult.InvocationConfiguration.Error;
            var values = settings.Resolve(parseResult);
            if (parseResult.GetValue(service) is not { Length: > 0 } name) return AwsCallCommand.Usage(error, "missing <service>: `cloudinv aws operations ec2`");
            ServiceModel model;
            try
            {
                model = AwsModelBundle.Default.GetService(name);
            }
            catch (AwsModelException e)
            {
                return AwsCallCommand.Usage(error, e.Message);
            }
            var output = parseResult.InvocationConfiguration.Output;
            if (values.Format != "table")
            {
                QueryResultWriter.WriteRows(["operation", "read", "paged"], model.Operations.Values.OrderBy(o => o.Name, StringComparer.Ordinal)
                    .Select(op => new object?[] { op.Name, AwsOperationKinds.IsRead(op), op.Paginator is { IsPaged: true } }).ToArray(), values.Format, output, values.Terminal);
                return CliApp.Done;
            }
            var width = model.Operations.Keys.Max(k => k.Length);
            foreach (var op in model.Operations.Values.OrderBy(o => o.Name, StringComparer.Ordinal))
            {
                var marks = string.Join(' ', new[] { AwsOperationKinds.IsRead(op) ? "read" : null, op.Paginator is { IsPaged: true } ? "paged" : null }.OfType<string>());
                output.WriteLine(marks.Length == 0 ? op.Name : $"{op.Name.PadRight(width)}  {marks}");
            }
            return 0;
        });
        return command;
    }
}
