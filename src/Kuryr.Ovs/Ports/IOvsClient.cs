namespace Kuryr.Ovs.Ports;

/// <summary>
/// What Kuryr's OVS binding driver did with <c>ovs-vsctl</c>, over OVSDB (RFC 7047) instead of a
/// process per call.
/// </summary>
public interface IOvsClient
{
    /// <summary>
    /// <c>ovs-vsctl -- --if-exists del-port &lt;port&gt; -- add-port &lt;bridge&gt; &lt;port&gt; -- set Interface &lt;port&gt; external-ids:...</c>:
    /// one transact that removes a port of the same name (from whichever bridge holds it), inserts
    /// the Interface (with <paramref name="externalIds"/>) and the Port, and adds the Port to the
    /// bridge. Idempotent; throws <see cref="Ovsdb.OvsBridgeNotFoundException"/> when the bridge is missing.
    /// </summary>
    Task<OvsPortAdded> AddPortAsync(string bridge, string portName, IReadOnlyDictionary<string, string> externalIds, CancellationToken cancellationToken = default);

    /// <summary><c>ovs-vsctl --if-exists del-port &lt;bridge&gt; &lt;port&gt;</c>: true when a port was removed, false when there was none.</summary>
    Task<bool> DeletePortAsync(string bridge, string portName, CancellationToken cancellationToken = default);

    /// <summary>The port and its interface (external_ids, ofport once vswitchd assigned it, error), or null.</summary>
    Task<OvsPortInfo?> GetPortAsync(string portName, CancellationToken cancellationToken = default);

    /// <summary><c>ovs-vsctl list-ports &lt;bridge&gt;</c> with details, by name; the bridge's own local port is left out.</summary>
    Task<IReadOnlyList<OvsPortInfo>> ListPortsAsync(string bridge, CancellationToken cancellationToken = default);

    Task<bool> BridgeExistsAsync(string bridge, CancellationToken cancellationToken = default);

    /// <summary>
    /// Polls until vswitchd has dealt with the interface: an ofport assigned (> 0) or an error set.
    /// Returns the last state read, or null when the port does not exist. Throws <see cref="TimeoutException"/>.
    /// </summary>
    Task<OvsPortInfo?> WaitForInterfaceAsync(string portName, TimeSpan timeout, CancellationToken cancellationToken = default);
}

/// <summary>A Port and its Interface as ovsdb-server holds them.</summary>
public sealed record OvsPortInfo(
    string Name,
    string? Bridge,
    Guid PortUuid,
    Guid? InterfaceUuid,
    string InterfaceType,
    IReadOnlyDictionary<string, string> ExternalIds,
    long? Ofport,
    string? Error,
    string? LinkState,
    string? MacInUse);

/// <summary>The rows AddPortAsync inserted, and whether it replaced a port of the same name.</summary>
public sealed record OvsPortAdded(Guid PortUuid, Guid InterfaceUuid, bool ReplacedExisting);

/// <summary>The Interface external_ids Kuryr sets (os-vif / Neutron OVS agent conventions).</summary>
public static class OvsExternalIds
{
    public const string IfaceId = "iface-id";
    public const string IfaceStatus = "iface-status";
    public const string AttachedMac = "attached-mac";
    public const string VmUuid = "vm-uuid";

    /// <summary>
    /// <c>iface-id=&lt;neutron port&gt; iface-status=active attached-mac=&lt;mac&gt; vm-uuid=&lt;vmUuid&gt;</c>.
    /// Kuryr wrote the literal <c>kuryr</c> as vm-uuid, the default here.
    /// </summary>
    public static IReadOnlyDictionary<string, string> ForVif(string neutronPortId, string mac, string vmUuid = "kuryr")
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(neutronPortId);
        ArgumentException.ThrowIfNullOrWhiteSpace(mac);
        ArgumentException.ThrowIfNullOrWhiteSpace(vmUuid);
        return new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [IfaceId] = neutronPortId,
            [IfaceStatus] = "active",
            [AttachedMac] = mac.ToLowerInvariant(),
            [VmUuid] = vmUuid,
        };
    }
}
