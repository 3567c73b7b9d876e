namespace Kuryr.Pools.Management;

/// <summary>
/// Decides whether this process may change pools through the management API. The controller wires
/// it to leader election: only the leader populates or frees; a standby answers 503 with
/// <see cref="Refusal"/>. Reads (list, show) are always served.
/// </summary>
public interface IManagementGate
{
    /// <summary>True when changes are allowed here.</summary>
    bool AllowsChanges { get; }

    /// <summary>Why changes are refused (the 503 body's <c>error</c>).</summary>
    string Refusal { get; }
}

/// <summary>Gates built from a delegate.</summary>
public static class ManagementGate
{
    /// <summary>Changes allowed while <paramref name="isLeader"/> returns true.</summary>
    public static IManagementGate FromLeader(Func<bool> isLeader)
    {
        ArgumentNullException.ThrowIfNull(isLeader);
        return new DelegateManagementGate(isLeader);
    }
}

/// <summary>Single-process hosts (tools, tests): always allowed.</summary>
internal sealed class OpenManagementGate : IManagementGate
{
    public bool AllowsChanges => true;

    public string Refusal => "";
}

internal sealed class DelegateManagementGate(Func<bool> isLeader) : IManagementGate
{
    public bool AllowsChanges => isLeader();

    public string Refusal => "this kuryr-controller is not the leader: pool changes are served by the leader only; retry later or on the leader's socket";
}
