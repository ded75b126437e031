using CloudInventory.Aws.Models;

namespace CloudInventory.Cli.Commands;

/// <summary>Which operations only read: by the verbs AWS names read operations with.</summary>
internal static class AwsOperationKinds
{
    private static readonly string[] s_readVerbs =
        ["Describe", "List", "Get", "BatchGet", "BatchDescribe", "Search", "Lookup", "Scan", "Query", "Head"];

    public static bool IsRead(Operation operation) =>
        s_readVerbs.Any(v => operation.Name.StartsWith(v, StringComparison.Ordinal)
            && (operation.Name.Length == v.Length || char.IsUpper(operation.Name[v.Length])));
}
