using Kuryr.Neutron.Serialization;
using Kuryr.Neutron.Transport;
using Kuryr.Neutron.Trunks;

namespace Kuryr.Neutron;

internal sealed partial class NeutronClient
{
    public Task<Trunk> CreateTrunkAsync(TrunkCreate trunk, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(trunk);
        Require(trunk.PortId, "trunk.port_id");
        if (trunk.SubPorts is not null)
        {
            ValidateSubPorts(trunk.SubPorts, "trunk.sub_ports", allowEmpty: true);
        }

        return PostAsync("create_trunk", "trunks", "trunk", trunk, Json.TrunkCreate, Json.Trunk, cancellationToken);
    }

    public Task<Trunk> GetTrunkAsync(string trunkId, CancellationToken cancellationToken = default) =>
        ShowAsync("show_trunk", "trunks", "trunk", trunkId, nameof(trunkId), Json.Trunk, cancellationToken);

    public IAsyncEnumerable<Trunk> ListTrunksAsync(TrunkFilter? filter = null, CancellationToken cancellationToken = default) =>
        ListAsync("list_trunks", "trunks", filter, Json.Trunk, cancellationToken);

    public Task<bool> DeleteTrunkAsync(string trunkId, CancellationToken cancellationToken = default) =>
        DeleteAsync("delete_trunk", "trunks", trunkId, nameof(trunkId), cancellationToken);

    public async Task<Trunk> AddSubportsAsync(string trunkId, IReadOnlyList<SubPort> subPorts, CancellationToken cancellationToken = default)
    {
        var path = "trunks/" + PathId(trunkId, nameof(trunkId)) + "/add_subports";
        ValidateSubPorts(subPorts, "sub_ports", allowEmpty: false);
        var request = new NeutronRequest("add_subports", HttpMethod.Put, path)
        {
            Body = NeutronJson.Wrap("sub_ports", subPorts, Json.IReadOnlyListSubPort),
            // Not idempotent: if the first attempt landed but its answer was lost, a repeat fails
            // with 409 (port or VLAN already on the trunk) and turns a success into an error; and
            // between the two attempts the pool may have handed that VLAN id out again.
            Idempotent = false,
        };
        var response = await SendAsync(request, cancellationToken);
        return NeutronJson.Read(response, Json.Trunk, "add_subports");
    }

    public async Task<Trunk> RemoveSubportsAsync(string trunkId, IReadOnlyList<string> portIds, CancellationToken cancellationToken = default)
    {
        var path = "trunks/" + PathId(trunkId, nameof(trunkId)) + "/remove_subports";
        ArgumentNullException.ThrowIfNull(portIds);
        if (portIds.Count == 0)
        {
            throw InvalidField.Create("sub_ports", "is empty");
        }

        var refs = new SubPortReference[portIds.Count];
        for (var i = 0; i < portIds.Count; i++)
        {
            Require(portIds[i], $"sub_ports[{i}].port_id");
            refs[i] = new SubPortReference(portIds[i]);
        }

        var request = new NeutronRequest("remove_subports", HttpMethod.Put, path)
        {
            Body = NeutronJson.Wrap("sub_ports", (IReadOnlyList<SubPortReference>)refs, Json.IReadOnlyListSubPortReference),
            // Not idempotent: a repeat of a call that landed answers 404 SubPortNotFound.
            Idempotent = false,
        };
        var response = await SendAsync(request, cancellationToken);
        return NeutronJson.Read(response, Json.Trunk, "remove_subports");
    }

    public async Task<IReadOnlyList<SubPort>> GetSubportsAsync(string trunkId, CancellationToken cancellationToken = default)
    {
        var path = "trunks/" + PathId(trunkId, nameof(trunkId)) + "/get_subports";
        var response = await SendAsync(new NeutronRequest("get_subports", HttpMethod.Get, path) { Idempotent = true }, cancellationToken);
        return NeutronJson.Unwrap(response, "sub_ports", Json.IReadOnlyListSubPort, "get_subports");
    }

    private static void ValidateSubPorts(IReadOnlyList<SubPort> subPorts, string field, bool allowEmpty)
    {
        ArgumentNullException.ThrowIfNull(subPorts, field);
        if (subPorts.Count == 0 && !allowEmpty)
        {
            throw InvalidField.Create(field, "is empty");
        }

        for (var i = 0; i < subPorts.Count; i++)
        {
            var s = subPorts[i] ?? throw InvalidField.Create($"{field}[{i}]", "is null");
            Require(s.PortId, $"{field}[{i}].port_id");
            if (s.SegmentationType == "vlan" && s.SegmentationId is < 1 or > 4094)
            {
                throw InvalidField.Create($"{field}[{i}].segmentation_id", $"must be a VLAN id 1-4094, not {s.SegmentationId}");
            }
        }
    }
}
