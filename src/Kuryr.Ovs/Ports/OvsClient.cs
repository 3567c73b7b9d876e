using System.Text.Json;
using System.Text.Json.Nodes;
using Kuryr.Ovs.Ovsdb;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using static Kuryr.Ovs.Ovsdb.OvsdbOps;

namespace Kuryr.Ovs.Ports;

/// <summary>
/// Port changes read first, then write in one transact guarded by <c>wait</c> operations on what
/// was read (as ovs-vsctl verifies its IDL snapshot); a guard failure or a unique-name violation
/// from a concurrent writer re-reads and retries.
/// </summary>
internal sealed partial class OvsClient : IOvsClient
{
    private static readonly string[] InterfaceColumns = ["_uuid", "name", "type", "external_ids", "ofport", "error", "link_state", "mac_in_use"];

    private readonly IOvsdbClient _db;
    private readonly OvsdbOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<OvsClient> _logger;

    public OvsClient(IOvsdbClient db, IOptions<OvsdbOptions> options, TimeProvider time, ILogger<OvsClient> logger)
    {
        _db = db;
        _options = options.Value;
        _time = time;
        _logger = logger;
    }

    public async Task<OvsPortAdded> AddPortAsync(string bridge, string portName, IReadOnlyDictionary<string, string> externalIds, CancellationToken cancellationToken = default)
    {
        ValidateName(bridge, nameof(bridge));
        ValidateName(portName, nameof(portName));
        ArgumentNullException.ThrowIfNull(externalIds);
        foreach (var (key, value) in externalIds)
        {
            if (string.IsNullOrEmpty(key) || value is null)
            {
                throw new ArgumentException($"external_ids of port {portName} has an empty key or a null value ('{key}')", nameof(externalIds));
            }
        }

        return await WithRetriesAsync("add-port", bridge, portName, async ct =>
        {
            var read = await _db.TransactAsync(
            [
                Select("Bridge", Where(), "_uuid", "name", "ports"),
                Select("Port", Where(Condition("name", "==", portName)), "_uuid"),
            ], ct).ConfigureAwait(false);
            var bridges = ReadBridges(read[0]);
            if (!bridges.Any(b => b.Name == bridge))
            {
                throw new OvsBridgeNotFoundException($"add-port {portName}: no bridge named {bridge}");
            }

            var old = OvsdbDatum.Rows(read[1], "Port").Select(r => OvsdbDatum.ReadUuid(OvsdbDatum.Column(r, "_uuid"), "Port._uuid")).ToList();
            var ops = new List<JsonObject>
            {
                Wait("Bridge", Where(Condition("name", "==", bridge)), "!=", [], "name"),
                Wait("Port", Where(Condition("name", "==", portName)), "==", new JsonArray([.. old.Select(u => (JsonNode)new JsonObject { ["_uuid"] = Uuid(u) })]), "_uuid"),
            };
            foreach (var owner in bridges.Where(b => b.Ports.Any(old.Contains)))
            {
                ops.Add(Mutate("Bridge", Where(Condition("_uuid", "==", Uuid(owner.Uuid))),
                    Mutation("ports", "delete", Set([.. old.Select(u => (JsonNode)Uuid(u))]))));
            }

            var insertInterface = ops.Count;
            ops.Add(Insert("Interface", new JsonObject { ["name"] = portName, ["external_ids"] = Map(externalIds) }, "iface"));
            ops.Add(Insert("Port", new JsonObject { ["name"] = portName, ["interfaces"] = NamedUuid("iface") }, "port"));
            ops.Add(Mutate("Bridge", Where(Condition("name", "==", bridge)), Mutation("ports", "insert", Set(NamedUuid("port")))));
            ops.Add(Comment($"kuryr: add-port {bridge} {portName}"));

            IReadOnlyList<JsonElement> results;
            try
            {
                results = await _db.TransactAsync(ops, ct).ConfigureAwait(false);
            }
            catch (OvsdbOperationException ex) when (ex.OperationIndex == 0)
            {
                throw new OvsBridgeNotFoundException($"add-port {portName}: bridge {bridge} was deleted meanwhile", ex);
            }

            var added = new OvsPortAdded(
                OvsdbDatum.ReadUuid(OvsdbDatum.Column(results[insertInterface + 1], "uuid"), "Port._uuid"),
                OvsdbDatum.ReadUuid(OvsdbDatum.Column(results[insertInterface], "uuid"), "Interface._uuid"),
                old.Count > 0);
            LogPortAdded(_logger, bridge, portName, added.PortUuid, added.ReplacedExisting);
            return added;
        }, cancellationToken).ConfigureAwait(false);
    }

    public async Task<bool> DeletePortAsync(string bridge, string portName, CancellationToken cancellationToken = default)
    {
        ValidateName(bridge, nameof(bridge));
        ValidateName(portName, nameof(portName));
        return await WithRetriesAsync("del-port", bridge, portName, async ct =>
        {
            var read = await _db.TransactAsync(
            [
                Select("Bridge", Where(), "_uuid", "name", "ports"),
                Select("Port", Where(Condition("name", "==", portName)), "_uuid"),
            ], ct).ConfigureAwait(false);
            var bridges = ReadBridges(read[0]);
            var target = bridges.FirstOrDefault(b => b.Name == bridge)
                ?? throw new OvsBridgeNotFoundException($"del-port {portName}: no bridge named {bridge}");
            var port = OvsdbDatum.Rows(read[1], "Port").Select(r => OvsdbDatum.ReadUuid(OvsdbDatum.Column(r, "_uuid"), "Port._uuid")).FirstOrDefault();
            if (port == Guid.Empty)
            {
                LogPortAbsent(_logger, bridge, portName);
                return false;
            }

            if (!target.Ports.Contains(port))
            {
                var holder = bridges.FirstOrDefault(b => b.Ports.Contains(port))?.Name ?? "no bridge";
                throw new OvsdbException($"del-port {portName}: bridge {bridge} does not have a port {portName} (it is on {holder})");
            }

            try
            {
                await _db.TransactAsync(
                [
                    Wait("Port", Where(Condition("_uuid", "==", Uuid(port))), "!=", [], "_uuid"),
                    Mutate("Bridge", Where(Condition("_uuid", "==", Uuid(target.Uuid))), Mutation("ports", "delete", Set(Uuid(port)))),
                    Comment($"kuryr: del-port {bridge} {portName}"),
                ], ct).ConfigureAwait(false);
            }
            catch (OvsdbOperationException ex) when (ex.OperationIndex == 0 && ex.Error == "timed out")
            {
                LogPortAbsent(_logger, bridge, portName);
                return false; // deleted by someone else between our read and write
            }

            LogPortDeleted(_logger, bridge, portName, port);
            return true;
        }, cancellationToken).ConfigureAwait(false);
    }

    public async Task<OvsPortInfo?> GetPortAsync(string portName, CancellationToken cancellationToken = default)
    {
        ValidateName(portName, nameof(portName));
        var read = await WithRetriesAsync("get-port", "-", portName, ct => _db.TransactAsync(
        [
            Select("Port", Where(Condition("name", "==", portName)), "_uuid", "name", "interfaces"),
            Select("Interface", Where(Condition("name", "==", portName)), InterfaceColumns),
            Select("Bridge", Where(), "_uuid", "name", "ports"),
        ], ct), cancellationToken).ConfigureAwait(false);
        var interfaces = ReadInterfaces(read[1]);
        var bridges = ReadBridges(read[2]);
        return OvsdbDatum.Rows(read[0], "Port").Select(row => ToInfo(row, interfaces, bridges)).FirstOrDefault();
    }

    public async Task<IReadOnlyList<OvsPortInfo>> ListPortsAsync(string bridge, CancellationToken cancellationToken = default)
    {
        ValidateName(bridge, nameof(bridge));
        var read = await WithRetriesAsync("list-ports", bridge, "-", ct => _db.TransactAsync(
        [
            Select("Bridge", Where(), "_uuid", "name", "ports"),
            Select("Port", Where(), "_uuid", "name", "interfaces"),
            Select("Interface", Where(), InterfaceColumns),
        ], ct), cancellationToken).ConfigureAwait(false);
        var bridges = ReadBridges(read[0]);
        var target = bridges.FirstOrDefault(b => b.Name == bridge) ?? throw new OvsBridgeNotFoundException($"list-ports: no bridge named {bridge}");
        var interfaces = ReadInterfaces(read[2]);
        return [.. OvsdbDatum.Rows(read[1], "Port")
            .Select(row => ToInfo(row, interfaces, bridges))
            .Where(p => p.Bridge == bridge && p.Name != bridge && target.Ports.Contains(p.PortUuid))
            .OrderBy(p => p.Name, StringComparer.Ordinal)];
    }

    public async Task<bool> BridgeExistsAsync(string bridge, CancellationToken cancellationToken = default)
    {
        ValidateName(bridge, nameof(bridge));
        var read = await WithRetriesAsync("br-exists", bridge, "-", ct => _db.TransactAsync(
            [Select("Bridge", Where(Condition("name", "==", bridge)), "name")], ct), cancellationToken).ConfigureAwait(false);
        return OvsdbDatum.Rows(read[0], "Bridge").Any();
    }

    public async Task<OvsPortInfo?> WaitForInterfaceAsync(string portName, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        var deadline = _time.GetTimestamp() + (long)(timeout.TotalSeconds * _time.TimestampFrequency);
        while (true)
        {
            var info = await GetPortAsync(portName, cancellationToken).ConfigureAwait(false);
            if (info is null || info.Ofport > 0 || info.Error is not null)
            {
                return info;
            }

            if (_time.GetTimestamp() >= deadline)
            {
                throw new TimeoutException($"vswitchd did not assign an ofport to {portName} within {timeout} (ofport {info.Ofport?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "unset"})");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(50), _time, cancellationToken).ConfigureAwait(false);
        }
    }

    internal static void ValidateName(string name, string parameter)
    {
        if (string.IsNullOrEmpty(name))
        {
            throw new ArgumentException($"{parameter} is empty", parameter);
        }

        if (name.Length > 15 || name is "." or ".." || name.Any(c => c == '/' || char.IsWhiteSpace(c) || char.IsControl(c)))
        {
            throw new ArgumentException($"{parameter} '{name}' is not a valid interface name (1-15 characters, no '/', no whitespace)", parameter);
        }
    }

    private async Task<T> WithRetriesAsync<T>(string what, string bridge, string port, Func<CancellationToken, Task<T>> attempt, CancellationToken cancellationToken)
    {
        for (var i = 0; ; i++)
        {
            try
            {
                return await attempt(cancellationToken).ConfigureAwait(false);
            }
            catch (OvsdbOperationException ex) when (i < _options.ConflictRetries && IsConflict(ex))
            {
                LogConflict(_logger, what, bridge, port, i + 1, ex.Message);
            }
            catch (OvsdbConnectionException ex) when (i < 2)
            {
                // Every operation here is idempotent (re-read, then write guarded by what was read),
                // so an outcome lost with the connection is settled by doing it again.
                LogConnectionRetry(_logger, what, bridge, port, i + 1, ex.Message);
            }

            await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.Next(1, 10 * (i + 1))), _time, cancellationToken).ConfigureAwait(false);
        }
    }

    private static bool IsConflict(OvsdbOperationException ex) =>
        (ex.Operation == "wait" && ex.Error == "timed out") || ex.Error == "constraint violation";

    private static List<BridgeRow> ReadBridges(JsonElement select) =>
        [.. OvsdbDatum.Rows(select, "Bridge").Select(r => new BridgeRow(
            OvsdbDatum.ReadUuid(OvsdbDatum.Column(r, "_uuid"), "Bridge._uuid"),
            OvsdbDatum.Column(r, "name").GetString() ?? "",
            OvsdbDatum.ReadUuidSet(OvsdbDatum.Column(r, "ports"), "Bridge.ports")))];

    private static Dictionary<Guid, JsonElement> ReadInterfaces(JsonElement select) =>
        OvsdbDatum.Rows(select, "Interface").ToDictionary(r => OvsdbDatum.ReadUuid(OvsdbDatum.Column(r, "_uuid"), "Interface._uuid"));

    private static OvsPortInfo ToInfo(JsonElement port, Dictionary<Guid, JsonElement> interfaces, List<BridgeRow> bridges)
    {
        var uuid = OvsdbDatum.ReadUuid(OvsdbDatum.Column(port, "_uuid"), "Port._uuid");
        var name = OvsdbDatum.Column(port, "name").GetString() ?? "";
        var ifaceUuids = OvsdbDatum.ReadUuidSet(OvsdbDatum.Column(port, "interfaces"), "Port.interfaces");
        var bridge = bridges.FirstOrDefault(b => b.Ports.Contains(uuid))?.Name;
        JsonElement iface = default;
        var ifaceUuid = ifaceUuids.FirstOrDefault(u => interfaces.TryGetValue(u, out iface));
        if (ifaceUuid == Guid.Empty)
        {
            return new OvsPortInfo(name, bridge, uuid, null, "", new Dictionary<string, string>(), null, null, null, null);
        }

        return new OvsPortInfo(
            name, bridge, uuid, ifaceUuid,
            OvsdbDatum.Column(iface, "type").GetString() ?? "",
            OvsdbDatum.ReadStringMap(OvsdbDatum.Column(iface, "external_ids"), "Interface.external_ids"),
            OvsdbDatum.ReadOptionalInteger(OvsdbDatum.Column(iface, "ofport"), "Interface.ofport"),
            OvsdbDatum.ReadOptionalString(OvsdbDatum.Column(iface, "error"), "Interface.error"),
            OvsdbDatum.ReadOptionalString(OvsdbDatum.Column(iface, "link_state"), "Interface.link_state"),
            OvsdbDatum.ReadOptionalString(OvsdbDatum.Column(iface, "mac_in_use"), "Interface.mac_in_use"));
    }

    private sealed record BridgeRow(Guid Uuid, string Name, IReadOnlyList<Guid> Ports);
}
