using Kuryr.Neutron.Serialization;
using Kuryr.Neutron.Subnets;

namespace Kuryr.Neutron;

internal sealed partial class NeutronClient
{
    public Task<Subnet> CreateSubnetAsync(SubnetCreate subnet, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(subnet);
        Require(subnet.NetworkId, "subnet.network_id");
        if (subnet.Cidr is null && subnet.SubnetpoolId is null)
        {
            throw InvalidField.Create("subnet.cidr", "is required (or subnet.subnetpool_id)");
        }

        if (subnet.IpVersion is not (4 or 6))
        {
            throw InvalidField.Create("subnet.ip_version", $"must be 4 or 6, not {subnet.IpVersion}");
        }

        return PostAsync("create_subnet", "subnets", "subnet", subnet, Json.SubnetCreate, Json.Subnet, cancellationToken);
    }

    public Task<Subnet> GetSubnetAsync(string subnetId, CancellationToken cancellationToken = default) =>
        ShowAsync("show_subnet", "subnets", "subnet", subnetId, nameof(subnetId), Json.Subnet, cancellationToken);

    public IAsyncEnumerable<Subnet> ListSubnetsAsync(SubnetFilter? filter = null, CancellationToken cancellationToken = default) =>
        ListAsync("list_subnets", "subnets", filter, Json.Subnet, cancellationToken);

    public Task<bool> DeleteSubnetAsync(string subnetId, CancellationToken cancellationToken = default) =>
        DeleteAsync("delete_subnet", "subnets", subnetId, nameof(subnetId), cancellationToken);
}
