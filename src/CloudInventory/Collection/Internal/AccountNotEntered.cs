namespace CloudInventory.Collection.Internal;

/// <summary>
/// An account in scope that could not be entered: its role could not be assumed or its regions could not be read
/// (whatever the error code, access denied included). Nothing of it was observed, so the run cannot be complete.
/// </summary>
/// <param name="AccountId">The account.</param>
/// <param name="Operation">The call that failed, e.g. <c>ec2:DescribeRegions</c> or <c>sts:AssumeRole</c>.</param>
/// <param name="ErrorCode">Its error code.</param>
internal sealed record AccountNotEntered(string AccountId, string Operation, string ErrorCode);
