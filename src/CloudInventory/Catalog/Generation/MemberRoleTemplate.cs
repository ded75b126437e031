using System.Text;
using System.Text.Json;

namespace CloudInventory.Catalog.Generation;

/// <summary>
/// A CloudFormation template (JSON) for the read-only role in a member account, for organisation-wide rollout as a
/// service-managed StackSet: the role trusts only the collector role with an external id and has the generated
/// <see cref="IamPolicy"/> documents as customer-managed policies.
/// </summary>
public static class MemberRoleTemplate
{
    /// <summary>The template for a policy.</summary>
    public static string Render(IamPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(policy);
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteString("AWSTemplateFormatVersion", "2010-09-09");
            w.WriteString("Description", "Cloud Inventory read-only role for the collector. " + GeneratedHeader.Text);
            w.WriteStartObject("Parameters");
            Parameter(w, "CollectorRoleArn", "The collector's task role ARN (Terraform output collector_role_arn).", null, "arn:aws[a-z-]*:iam::[0-9]{12}:role/.+");
            Parameter(w, "ExternalId", "The external id the collector presents when it assumes the role.", null, "[A-Za-z0-9+=,.@:/-]{2,1224}");
            Parameter(w, "RoleName", "The role's name; the collector's --role-name.", "CloudInventoryReader", "[A-Za-z0-9+=,.@_-]{1,64}");
            w.WriteEndObject();

            w.WriteStartObject("Resources");
            w.WriteStartObject("ReaderRole");
            w.WriteString("Type", "AWS::IAM::Role");
            w.WriteStartObject("Properties");
            w.WriteStartObject("RoleName"); w.WriteString("Ref", "RoleName"); w.WriteEndObject();
            w.WriteString("Description", "Cloud Inventory: read-only access for the collector");
            w.WriteNumber("MaxSessionDuration", 3600);
            w.WriteStartObject("AssumeRolePolicyDocument");
            w.WriteString("Version", "2012-10-17");
            w.WriteStartArray("Statement");
            w.WriteStartObject();
            w.WriteString("Effect", "Allow");
            w.WriteString("Action", "sts:AssumeRole");
            w.WriteStartObject("Principal"); w.WriteStartObject("AWS"); w.WriteString("Ref", "CollectorRoleArn"); w.WriteEndObject(); w.WriteEndObject();
            w.WriteStartObject("Condition"); w.WriteStartObject("StringEquals"); w.WriteStartObject("sts:ExternalId"); w.WriteString("Ref", "ExternalId"); w.WriteEndObject(); w.WriteEndObject(); w.WriteEndObject();
            w.WriteEndObject();
            w.WriteEndArray();
            w.WriteEndObject();
            w.WriteStartArray("ManagedPolicyArns");
            for (var i = 1; i <= policy.Documents.Count; i++)
            {
                w.WriteStartObject(); w.WriteString("Ref", $"ReadPolicy{i}"); w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
            w.WriteEndObject();
            for (var i = 1; i <= policy.Documents.Count; i++)
            {
                w.WriteStartObject($"ReadPolicy{i}");
                w.WriteString("Type", "AWS::IAM::ManagedPolicy");
                w.WriteStartObject("Properties");
                w.WriteString("Description", $"Cloud Inventory least-privilege reads, part {i} of {policy.Documents.Count} (cloudinv generate iam)");
                w.WritePropertyName("PolicyDocument");
                using (var doc = JsonDocument.Parse(policy.Documents[i - 1])) doc.RootElement.WriteTo(w);
                w.WriteEndObject();
                w.WriteEndObject();
            }
            w.WriteEndObject();

            w.WriteStartObject("Outputs");
            w.WriteStartObject("RoleArn");
            w.WriteString("Description", "The member role's ARN.");
            w.WriteStartObject("Value"); w.WriteStartArray("Fn::GetAtt"); w.WriteStringValue("ReaderRole"); w.WriteStringValue("Arn"); w.WriteEndArray(); w.WriteEndObject();
            w.WriteEndObject();
            w.WriteEndObject();
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(stream.ToArray()) + "\n";
    }

    private static void Parameter(Utf8JsonWriter w, string name, string description, string? defaultValue, string pattern)
    {
        w.WriteStartObject(name);
        w.WriteString("Type", "String");
        w.WriteString("Description", description);
        if (defaultValue is not null) w.WriteString("Default", defaultValue);
        w.WriteString("AllowedPattern", pattern);
        w.WriteEndObject();
    }
}
