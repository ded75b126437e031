using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Xml;
using CloudInventory.Aws.Models;

namespace CloudInventory.Simulator.Protocols;

/// <summary>
/// Writes an operation's output (a value tree keyed by model member names) in the operation's
/// wire protocol, and error responses in each protocol's error format: the server side of the
/// protocols the client engine reads.
/// </summary>
internal static class ResponseWriter
{
    private static readonly XmlWriterSettings s_xmlSettings = new() { Encoding = new UTF8Encoding(false), Indent = false, OmitXmlDeclaration = false };

    public static SimulatedResponse Write(Operation operation, JsonObject output, string requestId, StreamedList? streamed = null, ScalarFaults? faults = null)
    {
        var service = operation.Service;
        var headers = new List<KeyValuePair<string, string>>();
        var status = operation.ResponseCode ?? 200;
        var shape = operation.Output?.Shape;
        switch (service.Protocol)
        {
            case AwsProtocol.Ec2:
            case AwsProtocol.Query:
                headers.Add(new("Content-Type", "text/xml"));
                headers.Add(new("x-amzn-RequestId", requestId));
                return new SimulatedResponse(status, headers, WriteQueryXml(operation, output, requestId, streamed, faults));
            case AwsProtocol.Json:
                headers.Add(new("Content-Type", $"application/x-amz-json-{service.JsonVersion}"));
                headers.Add(new("x-amzn-RequestId", requestId));
                return new SimulatedResponse(status, headers, shape is null ? "{}"u8.ToArray() : JsonBody(shape, output, restJson: false, streamed, faults));
            default:
                var rest = service.Protocol == AwsProtocol.RestJson;
                headers.Add(new(rest ? "x-amzn-RequestId" : "x-amz-request-id", requestId));
                byte[] body = [];
                if (shape is not null)
                {
                    foreach (var member in shape.Members)
                    {
                        if (!output.TryGetPropertyValue(member.Name, out var value) || value is null) continue;
                        switch (member.Location)
                        {
                            case MemberLocation.Header:
                                headers.Add(new(member.WireName, HeaderText(value, member)));
                                break;
                            case MemberLocation.Headers:
                                foreach (var (k, v) in value.AsObject())
                                    if (v is not null) headers.Add(new(member.WireName + k, v.GetValue<string>()));
                                break;
                            case MemberLocation.StatusCode:
                                status = (int)WireValues.ToInt64(value);
                                break;
                        }
                    }
                    if (operation.Service.Name == "s3" && operation.Name == "GetBucketLocation")
                    {
                        // S3 answers with the constraint as the root element's text, not as a child.
                        var constraint = output["LocationConstraint"]?.GetValue<string>();
                        body = Xml(w =>
                        {
                            w.WriteStartElement("LocationConstraint", service.XmlNamespace ?? "http://s3.amazonaws.com/doc/2006-03-01/");
                            if (constraint is not null) w.WriteString(constraint);
                            w.WriteEndElement();
                        });
                    }
                    else if (shape.Payload is { } payloadName)
                    {
                        var payload = shape.FindMember(payloadName)!;
                        if (output.TryGetPropertyValue(payloadName, out var pv) && pv is not null)
                        {
                            if (payload.Shape.Type == ShapeType.Blob) body = WireValues.ToBlob(pv);
                            else if (payload.Shape.Type == ShapeType.String) body = Encoding.UTF8.GetBytes(pv.GetValue<string>());
                            else
                            {
                                faults?.Push(payload.Name);
                                body = rest ? JsonBody(payload.Shape, pv.AsObject(), true, streamed, faults) : RestXmlBody(payload.WireName, payload, pv.AsObject(), streamed, faults);
                                faults?.Pop();
                            }
                        }
                    }
                    else if (shape.Members.Any(m => m.Location == MemberLocation.Body && output.ContainsKey(m.Name)))
                    {
                        body = rest ? JsonBody(shape, output, true, streamed, faults)
                            : RestXmlBody(operation.Output!.LocationName ?? shape.LocationName ?? operation.Name + "Result", operation.Output!, output, streamed, faults);
                    }
                    else if (rest)
                    {
                        body = "{}"u8.ToArray();
                    }
                }
                headers.Add(new("Content-Type", rest ? "application/json" : "application/xml"));
                return new SimulatedResponse(status, headers, body);
        }
    }

    public static SimulatedResponse WriteError(ServiceModel service, int status, string code, string message, string requestId)
    {
        var headers = new List<KeyValuePair<string, string>>();
        switch (service.Protocol)
        {
            case AwsProtocol.Ec2:
                headers.Add(new("Content-Type", "text/xml"));
                return new SimulatedResponse(status, headers, Xml(w =>
                {
                    w.WriteStartElement("Response");
                    w.WriteStartElement("Errors");
                    w.WriteStartElement("Error");
                    w.WriteElementString("Code", code);
                    w.WriteElementString("Message", message);
                    w.WriteEndElement();
                    w.WriteEndElement();
                    w.WriteElementString("RequestID", requestId);
                    w.WriteEndElement();
                }));
            case AwsProtocol.Query:
                headers.Add(new("Content-Type", "text/xml"));
                return new SimulatedResponse(status, headers, Xml(w =>
                {
                    w.WriteStartElement("ErrorResponse", service.XmlNamespace ?? "");
                    w.WriteStartElement("Error");
                    w.WriteElementString("Type", status >= 500 ? "Receiver" : "Sender");
                    w.WriteElementString("Code", code);
                    w.WriteElementString("Message", message);
                    w.WriteEndElement();
                    w.WriteElementString("RequestId", requestId);
                    w.WriteEndElement();
                }));
            case AwsProtocol.RestXml:
                headers.Add(new("Content-Type", "application/xml"));
                headers.Add(new("x-amz-request-id", requestId));
                return new SimulatedResponse(status, headers, Xml(w =>
                {
                    w.WriteStartElement("Error");
                    w.WriteElementString("Code", code);
                    w.WriteElementString("Message", message);
                    w.WriteElementString("RequestId", requestId);
                    w.WriteEndElement();
                }));
            case AwsProtocol.Json:
                headers.Add(new("Content-Type", $"application/x-amz-json-{service.JsonVersion}"));
                headers.Add(new("x-amzn-RequestId", requestId));
                if (service.AwsQueryCompatible) headers.Add(new("x-amzn-query-error", $"{code};{(status >= 500 ? "Receiver" : "Sender")}"));
                return new SimulatedResponse(status, headers, JsonSerializer.SerializeToUtf8Bytes(new JsonObject
                {
                    ["__type"] = $"com.amazonaws.{service.EndpointPrefix}#{code}",
                    ["message"] = message,
                }));
            default:
                headers.Add(new("Content-Type", "application/json"));
                headers.Add(new("x-amzn-RequestId", requestId));
                headers.Add(new("x-amzn-ErrorType", code));
                return new SimulatedResponse(status, headers, JsonSerializer.SerializeToUtf8Bytes(new JsonObject { ["message"] = message }));
        }
    }

    private static string HeaderText(JsonNode value, Member member)
    {
        if (member.JsonValue) return Convert.ToBase64String(Encoding.UTF8.GetBytes(value.ToJsonString()));
        if (member.Shape.Type == ShapeType.List)
            return string.Join(",", value.AsArray().Where(v => v is not null).Select(v => WireValues.ScalarText(v!, member.Shape.ListMember!, "rfc822")));
        return WireValues.ScalarText(value, member, "rfc822");
    }

    // ---- XML (ec2, query, rest-xml) ----

    private static byte[] WriteQueryXml(Operation operation, JsonObject output, string requestId, StreamedList? streamed, ScalarFaults? faults)
    {
        var service = operation.Service;
        return Xml(w =>
        {
            w.WriteStartElement(operation.Name + "Response", service.XmlNamespace ?? "");
            if (service.Protocol == AwsProtocol.Ec2)
            {
                w.WriteElementString("requestId", requestId);
                if (operation.Output is { } outRef) WriteMembers(w, outRef.Shape, output, ec2: true, streamed, faults);
            }
            else
            {
                if (operation.Output is { } outRef)
                {
                    w.WriteStartElement(outRef.ResultWrapper ?? operation.Name + "Result");
                    WriteMembers(w, outRef.Shape, output, ec2: false, streamed, faults);
                    w.WriteEndElement();
                }
                w.WriteStartElement("ResponseMetadata");
                w.WriteElementString("RequestId", requestId);
                w.WriteEndElement();
            }
            w.WriteEndElement();
        });
    }

    private static byte[] RestXmlBody(string rootName, Member root, JsonObject value, StreamedList? streamed, ScalarFaults? faults) => Xml(w =>
    {
        var ns = root.XmlNamespace;
        if (ns?.Prefix is { } prefix)
        {
            w.WriteStartElement(rootName);
            w.WriteAttributeString("xmlns", prefix, null, ns.Uri);
        }
        else
        {
            w.WriteStartElement(rootName, ns?.Uri ?? "");
        }
        WriteMembers(w, root.Shape, value, ec2: false, streamed, faults);
        w.WriteEndElement();
    });

    private static void WriteMembers(XmlWriter w, Shape shape, JsonObject value, bool ec2, StreamedList? streamed, ScalarFaults? faults)
    {
        foreach (var member in shape.Members)
        {
            if (member.XmlAttribute && value.TryGetPropertyValue(member.Name, out var attr) && attr is not null)
                w.WriteAttributeString(member.WireName, WireValues.ScalarText(attr, member, "iso8601"));
        }
        foreach (var member in shape.Members)
        {
            if (member.XmlAttribute || member.Location != MemberLocation.Body) continue;
            if (!value.TryGetPropertyValue(member.Name, out var v) || v is null) continue;
            faults?.Push(member.Name);
            WriteValue(w, member.WireName, member, v, ec2, streamed, faults);
            faults?.Pop();
        }
    }

    private static void WriteValue(XmlWriter w, string name, Member member, JsonNode value, bool ec2, StreamedList? streamed, ScalarFaults? faults)
    {
        var shape = member.Shape;
        switch (shape.Type)
        {
            case ShapeType.Structure:
                w.WriteStartElement(name);
                WriteMembers(w, shape, value.AsObject(), ec2, streamed, faults);
                w.WriteEndElement();
                break;
            case ShapeType.List:
                var item = shape.ListMember!;
                faults?.Push("[]");
                if (member.Flattened)
                {
                    var itemName = item.LocationName ?? name;
                    foreach (var e in StreamedList.ItemsOf(value.AsArray(), streamed)) if (e is not null) WriteValue(w, itemName, item, e, ec2, streamed, faults);
                }
                else
                {
                    w.WriteStartElement(name);
                    var itemName = item.LocationName ?? (ec2 ? "item" : "member");
                    foreach (var e in StreamedList.ItemsOf(value.AsArray(), streamed)) if (e is not null) WriteValue(w, itemName, item, e, ec2, streamed, faults);
                    w.WriteEndElement();
                }
                faults?.Pop();
                break;
            case ShapeType.Map:
                var keyName = shape.MapKey!.LocationName ?? "key";
                var valueName = shape.MapValue!.LocationName ?? "value";
                if (!member.Flattened) w.WriteStartElement(name);
                foreach (var (k, v) in value.AsObject())
                {
                    if (v is null) continue;
                    w.WriteStartElement(member.Flattened ? name : "entry");
                    w.WriteElementString(keyName, k);
                    faults?.Push("{}");
                    WriteValue(w, valueName, shape.MapValue, v, ec2, streamed, faults);
                    faults?.Pop();
                    w.WriteEndElement();
                }
                if (!member.Flattened) w.WriteEndElement();
                break;
            default:
                w.WriteElementString(name, faults?.Damage(shape) ?? WireValues.ScalarText(value, member, "iso8601"));
                break;
        }
    }

    private static byte[] Xml(Action<XmlWriter> write)
    {
        using var ms = new MemoryStream();
        using (var w = XmlWriter.Create(ms, s_xmlSettings)) write(w);
        return ms.ToArray();
    }

    // ---- JSON (json, rest-json) ----

    private static byte[] JsonBody(Shape shape, JsonObject value, bool restJson, StreamedList? streamed, ScalarFaults? faults)
    {
        using var ms = new MemoryStream();
        using (var w = new Utf8JsonWriter(ms)) WriteJsonStructure(w, shape, value, restJson, streamed, faults);
        return ms.ToArray();
    }

    private static void WriteJsonStructure(Utf8JsonWriter w, Shape shape, JsonObject value, bool restJson, StreamedList? streamed, ScalarFaults? faults)
    {
        w.WriteStartObject();
        foreach (var member in shape.Members)
        {
            if (member.Location != MemberLocation.Body) continue;
            if (!value.TryGetPropertyValue(member.Name, out var v) || v is null) continue;
            w.WritePropertyName(restJson ? member.WireName : member.Name);
            faults?.Push(member.Name);
            WriteJsonValue(w, member, v, restJson, streamed, faults);
            faults?.Pop();
        }
        w.WriteEndObject();
    }

    private static void WriteJsonValue(Utf8JsonWriter w, Member member, JsonNode value, bool restJson, StreamedList? streamed, ScalarFaults? faults)
    {
        var shape = member.Shape;
        if (shape.Document) { value.WriteTo(w); return; }
        if (faults?.Damage(shape) is { } malformed)
        {
            w.WriteStringValue(malformed);
            return;
        }
        switch (shape.Type)
        {
            case ShapeType.Structure:
                WriteJsonStructure(w, shape, value.AsObject(), restJson, streamed, faults);
                break;
            case ShapeType.List:
                w.WriteStartArray();
                faults?.Push("[]");
                foreach (var e in StreamedList.ItemsOf(value.AsArray(), streamed))
                {
                    if (e is null) w.WriteNullValue();
                    else WriteJsonValue(w, shape.ListMember!, e, restJson, streamed, faults);
                }
                faults?.Pop();
                w.WriteEndArray();
                break;
            case ShapeType.Map:
                w.WriteStartObject();
                faults?.Push("{}");
                foreach (var (k, v) in value.AsObject())
                {
                    w.WritePropertyName(k);
                    if (v is null) w.WriteNullValue();
                    else WriteJsonValue(w, shape.MapValue!, v, restJson, streamed, faults);
                }
                faults?.Pop();
                w.WriteEndObject();
                break;
            case ShapeType.Timestamp:
                var ts = WireValues.ToTimestamp(value);
                var format = member.TimestampFormat ?? "unixTimestamp";
                if (format == "unixTimestamp") w.WriteRawValue(WireValues.FormatEpoch(ts));
                else w.WriteStringValue(WireValues.FormatTimestamp(ts, format));
                break;
            case ShapeType.Blob:
                w.WriteStringValue(Convert.ToBase64String(WireValues.ToBlob(value)));
                break;
            case ShapeType.Boolean:
                w.WriteBooleanValue(value.GetValueKind() == JsonValueKind.String ? bool.Parse(value.GetValue<string>()) : value.GetValue<bool>());
                break;
            case ShapeType.Integer or ShapeType.Long:
                w.WriteNumberValue(WireValues.ToInt64(value));
                break;
            case ShapeType.Float or ShapeType.Double:
                var d = WireValues.ToDouble(value);
                if (double.IsFinite(d)) w.WriteNumberValue(d);
                else w.WriteStringValue(double.IsNaN(d) ? "NaN" : d > 0 ? "Infinity" : "-Infinity");
                break;
            default:
                w.WriteStringValue(value.GetValue<string>());
                break;
        }
    }
}
