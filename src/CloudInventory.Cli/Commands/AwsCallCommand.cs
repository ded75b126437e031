using System.CommandLine;
using System.Text.Json.Nodes;
using CloudInventory.Aws.Client;
using CloudInventory.Aws.Credentials;
using CloudInventory.Aws.Models;
using CloudInventory.Aws.Protocols;
using CloudInventory.Cli.Settings;

namespace CloudInventory.Cli.Commands;

/// <summary>
/// <c>cloudinv aws call &lt;service&gt; &lt;operation&gt; [--param Name=value ...] [--all-pages]</c>: calls one
/// operation and prints its result as JSON, like the AWS CLI. Exit codes: 0 success, 1 the call failed
/// (AWS error, unreadable response, no credentials), 2 the command line is wrong.
/// </summary>
internal static class AwsCallCommand
{
    public static Command Create()
    {
        var service = new Argument<string?>("service") { Description = "The service name or endpoint prefix, e.g. ec2, s3, logs.", Arity = ArgumentArity.ZeroOrOne };
        var operation = new Argument<string?>("operation") { Description = "The operation, e.g. DescribeInstances.", Arity = ArgumentArity.ZeroOrOne };
        var parameters = new Option<string[]>("--param", "-p")
        {
            Description = "An input parameter: Name=value, a path such as Filters.0.Values.0=running, or Name=<json>. Repeatable.",
            Arity = ArgumentArity.ZeroOrMore,
        };
        var allPages = new Option<bool>("--all-pages") { Description = "Follow the operation's paginator and merge all pages." };
        var region = new Option<string?>("--region") { Description = "The AWS region (default: AWS_REGION, AWS_DEFAULT_REGION or the profile's).", Arity = ArgumentArity.ZeroOrOne };
        var allowWrite = new Option<bool>("--allow-write") { Description = "Allow operations that are not read-only (Describe/List/Get/...)." };
        var outputFormat = new Option<string?>("--output") { Description = "json (default), table or text, as in the AWS CLI." };
        outputFormat.AcceptOnlyFromAmong("json", "table", "text");
        var query = new Option<string?>("--query") { Description = "A JMESPath expression applied to the result before printing, e.g. 'Reservations[].Instances[].InstanceId'." };
        var settings = new CommandSettings(CliSettings.Profile, CliSettings.EndpointUrl, CliSettings.MaxAttempts);
        var command = new Command("call", "Call an AWS API operation and print the result (JSON by default), like the AWS CLI.")
        {
            service, operation, parameters, allPages, region, allowWrite, outputFormat, query,
        };
        settings.AddTo(command);
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var output = parseResult.InvocationConfiguration.Output;
            var error = parseResult.InvocationConfiguration.Error;
            var values = settings.Resolve(parseResult);
            if (parseResult.GetValue(service) is not { Length: > 0 } serviceName || parseResult.GetValue(operation) is not { Length: > 0 } operationName)
            {
                return Usage(error, "usage: cloudinv aws call <service> <operation> [--param Name=value ...]");
            }
            var options = new AwsClientOptions();
            if (OptionText(parseResult, region, "--region", error, out var regionText) is { } e1) return e1;
            options.Region = regionText;
            options.Profile = values.Text(CliSettings.Profile);
            options.EndpointUrl = values.Url(CliSettings.EndpointUrl) ?? ProfileEndpoint.For(options.Profile);
            if (values.Number(CliSettings.MaxAttempts) is { } attempts) options.MaxAttempts = attempts;
            var expression = parseResult.GetValue(query);
            if (expression is not null)
            {
                try
                {
                    _ = new DevLab.JmesPath.JmesPath().Parse(expression);
                }
                catch (Exception e) when (e is not OutOfMemoryException)
                {
                    return Usage(error, $"--query '{expression}' is not a JMESPath expression: {e.Message}");
                }
            }
            JsonObject? input;
            try
            {
                input = AwsParameters.Parse(parseResult.GetValue(parameters) ?? []);
            }
            catch (FormatException e)
            {
                return Usage(error, e.Message);
            }
            AwsCommand.ConfigureClient.Value?.Invoke(options);

            try
            {
                // A misspelt service is the likelier mistake: say so before asking for a region or credentials.
                _ = AwsModelBundle.Default.GetService(serviceName);
                using var client = new AwsClient(options);
                var op = client.GetOperation(serviceName, operationName);
                if (!AwsOperationKinds.IsRead(op) && !parseResult.GetValue(allowWrite))
                {
                    return Usage(error, $"{op.Service.Name} {op.Name} is not a read-only operation; pass --allow-write to call it anyway");
                }
                string? json;
                if (parseResult.GetValue(allPages))
                {
                    var roots = new List<JsonObject?>();
                    await foreach (var page in client.PaginateAsync(op.Service.Name, op.Name, input, () => new ValueTreeBuilder(), cancellationToken).ConfigureAwait(false))
                    {
                        var builder = (ValueTreeBuilder)page.Visitor;
                        await WarnAsync(error, op, builder).ConfigureAwait(false);
                        roots.Add(builder.Root is null ? null : JsonNode.Parse(builder.ToAwsCliJson())?.AsObject());
                    }
                    json = AwsOutput.Merge(op, roots) is { } merged ? AwsOutput.Render(merged) : null;
                }
                else
                {
                    var builder = new ValueTreeBuilder();
                    await client.CallAsync(op.Service.Name, op.Name, input, builder, cancellationToken).ConfigureAwait(false);
                    await WarnAsync(error, op, builder).ConfigureAwait(false);
                    json = builder.Root is null ? null : builder.ToAwsCliJson();
                }
                if (json is not null) await output.WriteLineAsync(AwsOutput.Format(json, expression, parseResult.GetValue(outputFormat) ?? "json")).ConfigureAwait(false);
                return 0;
            }
            catch (Exception e) when (e is AwsModelException or AwsRequestException or InvalidOperationException or ArgumentException)
            {
                return Usage(error, e.Message);
            }
            catch (Exception e) when (e is AwsApiException or AwsProtocolException or AwsCredentialsException or HttpRequestException or IOException)
            {
                return Fail(error, e.Message, 1);
            }
        });
        return command;
    }

    // Tolerant reading: a value that is not of its modelled type is printed as null, and said so on stderr.
    private static async Task WarnAsync(TextWriter error, Operation operation, ValueTreeBuilder builder)
    {
        foreach (var malformed in builder.MalformedValues)
        {
            await error.WriteLineAsync($"warning: {operation.Service.Name} {operation.Name}: {malformed}").ConfigureAwait(false);
        }
    }

    /// <summary>Reports a command-line error: one line on stderr, exit code 2.</summary>
    internal static int Usage(TextWriter error, string message) => Fail(error, message, 2);

    private static int Fail(TextWriter error, string message, int code)
    {
        error.WriteLine("error: " + string.Join(' ', message.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)));
        return code;
    }

    private static int? OptionText(ParseResult parseResult, Option<string?> option, string name, TextWriter error, out string? value)
    {
        value = parseResult.GetValue(option);
        if (parseResult.GetResult(option) is not null && string.IsNullOrWhiteSpace(value))
        {
            return Usage(error, $"{name} needs a value");
        }
        value = value?.Trim();
        return null;
    }
}
