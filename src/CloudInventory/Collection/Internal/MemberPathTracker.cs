using System.Text;

namespace CloudInventory.Collection.Internal;

/// <summary>
/// Follows where a protocol reader is in an output, for warnings: the member path of the value about to be read,
/// from the top of the output (<c>Reservations[].Instances[].State.Code</c>); <c>[]</c> after a list, <c>{}</c> after a
/// map, whose keys are not part of the path (values of one map member aggregate). Costs nothing until asked.
/// </summary>
internal sealed class MemberPathTracker
{
    private string?[] _names = new string?[32];
    private byte[] _kinds = new byte[32]; // 0 structure, 1 list, 2 map
    private string? _pending;

    /// <summary>The open structures, lists and maps.</summary>
    public int Depth { get; private set; }

    /// <summary>A member of the current structure is next.</summary>
    public void Member(string name) => _pending = name;

    /// <summary>A structure (0), list (1) or map (2) opens.</summary>
    public void Open(byte kind)
    {
        if (Depth == _names.Length)
        {
            Array.Resize(ref _names, Depth * 2);
            Array.Resize(ref _kinds, Depth * 2);
        }
        _names[Depth] = Depth > 0 && _kinds[Depth - 1] == 0 ? _pending : null;
        _kinds[Depth] = kind;
        Depth++;
        _pending = null;
    }

    /// <summary>The innermost open value closes.</summary>
    public void Close()
    {
        Depth--;
        _pending = null;
    }

    /// <summary>A scalar or a map key was read.</summary>
    public void Value() => _pending = null;

    /// <summary>The member path of the value about to be read.</summary>
    public override string ToString()
    {
        var path = new StringBuilder();
        for (var i = 1; i < Depth; i++)
        {
            if (_names[i] is { } name)
            {
                if (path.Length > 0) path.Append('.');
                path.Append(name);
            }
            if (_kinds[i] == 1) path.Append("[]");
            else if (_kinds[i] == 2) path.Append("{}");
        }
        if (Depth > 0 && _kinds[Depth - 1] == 2) return path.ToString();
        if (_pending is { } pending)
        {
            if (path.Length > 0) path.Append('.');
            path.Append(pending);
        }
        return path.ToString();
    }
}
