using Kuryr.Neutron.Serialization;

namespace Kuryr.Neutron.Trunks;

/// <summary>Trunk list filters.</summary>
public sealed record TrunkFilter : NeutronFilter
{
    /// <summary>The parent port.</summary>
    public string? PortId { get; init; }

    public string? Status { get; init; }

    private protected override void AddSpecific(List<KeyValuePair<string, string>> query)
    {
        Add(query, "port_id", PortId);
        Add(query, "status", Status);
    }
}
