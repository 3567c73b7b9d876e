using Kuryr.Neutron.Networks;

namespace Kuryr.Neutron;

internal sealed partial class NeutronClient
{
    public Task<Network> CreateNetworkAsync(NetworkCreate network, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(network);
        return PostAsync("create_network", "networks", "network", network, Json.NetworkCreate, Json.Network, cancellationToken);
    }

    public Task<Network> GetNetworkAsync(string networkId, CancellationToken cancellationToken = default) =>
        ShowAsync("show_network", "networks", "network", networkId, nameof(networkId), Json.Network, cancellationToken);

    public IAsyncEnumerable<Network> ListNetworksAsync(NetworkFilter? filter = null, CancellationToken cancellationToken = default) =>
        ListAsync("list_networks", "networks", filter, Json.Network, cancellationToken);

    public Task<bool> DeleteNetworkAsync(string networkId, CancellationToken cancellationToken = default) =>
        DeleteAsync("delete_network", "networks", networkId, nameof(networkId), cancellationToken);
}
