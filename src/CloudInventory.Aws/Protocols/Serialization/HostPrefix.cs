using System.Text;

namespace CloudInventory.Aws.Protocols.Serialization;

/// <summary>Resolves an operation's <c>endpoint.hostPrefix</c> template (e.g. <c>{AccountId}.</c>) from its <c>hostLabel</c> members.</summary>
internal static class HostPrefix
{
    public static string? Resolve(SerializationContext ctx, List<BoundMember> input)
    {
        var template = ctx.Operation.HostPrefix;
        if (string.IsNullOrEmpty(template)) return null;
        var sb = new StringBuilder();
        var i = 0;
        while (i < template.Length)
        {
            var open = template.IndexOf('{', i);
            if (open < 0) { sb.Append(template, i, template.Length - i); break; }
            var close = template.IndexOf('}', open);
            if (close < 0) throw ctx.Error($"malformed host prefix '{template}'");
            sb.Append(template, i, open - i);
            var label = template[(open + 1)..close];
            var index = input.FindIndex(b => b.Member.Name == label);
            if (index < 0) throw ctx.Error($"missing required parameter '{label}' (it fills the host prefix '{template}')");
            var b = input[index];
            var value = InputValues.String(ctx, b.Value, b.Path);
            if (!IsHostLabel(value)) throw ctx.ParameterError(b.Path, $"must be a valid host label (letters, digits and hyphens, 1 to 63 characters) to fill the host prefix '{template}'");
            sb.Append(value);
            i = close + 1;
        }
        return sb.ToString();
    }

    private static bool IsHostLabel(string value)
    {
        if (value.Length is 0 or > 63 || value[0] == '-' || value[^1] == '-') return false;
        foreach (var c in value)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c == '-')) return false;
        }
        return true;
    }
}
