namespace CloudInventory.Aws.Protocols.Serialization;

/// <summary>
/// The json protocol (1.0 and 1.1): <c>POST /</c> with <c>X-Amz-Target: Prefix.Operation</c> and
/// the whole input as a JSON body (<c>{}</c> when empty); <c>x-amzn-query-mode: true</c> for
/// <c>awsQueryCompatible</c> services, as the AWS SDKs send it.
/// </summary>
internal sealed class JsonRpcRequestWriter(SerializationContext ctx)
{
    public void Write(AwsHttpRequest request, List<BoundMember> input)
    {
        var operation = ctx.Operation;
        var service = operation.Service;
        request.Method = "POST";
        request.Path = "/";
        request.Headers["Content-Type"] = "application/x-amz-json-" + service.JsonVersion;
        request.Headers["X-Amz-Target"] = (service.TargetPrefix is { Length: > 0 } prefix ? prefix + "." : "") + operation.Name;
        // Services that moved from query to JSON (SQS) then answer errors with their query error codes too.
        if (service.AwsQueryCompatible) request.Headers["x-amzn-query-mode"] = "true";
        request.Body = new JsonBodyWriter(ctx).WriteObject(input);
    }
}
