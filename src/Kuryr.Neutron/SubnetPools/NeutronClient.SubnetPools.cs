using Kuryr.Neutron.Serialization;
using Kuryr.Neutron.SubnetPools;

namespace Kuryr.Neutron;

internal sealed partial class NeutronClient
{
    public Task<SubnetPool> CreateSubnetPoolAsync(SubnetPoolCreate subnetPool, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(subnetPool);
        if (subnetPool.Prefixes is null || subnetPool.Prefixes.Count == 0)
        {
            throw InvalidField.Create("subnetpool.prefixes", "needs at least one prefix");
        }

        return PostAsync("create_subnetpool", "subnetpools", "subnetpool", subnetPool, Json.SubnetPoolCreate, Json.SubnetPool, cancellationToken);
    }

    public Task<SubnetPool> GetSubnetPoolAsync(string subnetPoolId, CancellationToken cancellationToken = default) =>
        ShowAsync("show_subnetpool", "subnetpools", "subnetpool", subnetPoolId, nameof(subnetPoolId), Json.SubnetPool, cancellationToken);

    public IAsyncEnumerable<SubnetPool> ListSubnetPoolsAsync(SubnetPoolFilter? filter = null, CancellationToken cancellationToken = default) =>
        ListAsync("list_subnetpools", "subnetpools", filter, Json.SubnetPool, cancellationToken);

    public Task<bool> DeleteSubnetPoolAsync(string subnetPoolId, CancellationToken cancellationToken = default) =>
        DeleteAsync("delete_subnetpool", "subnetpools", subnetPoolId, nameof(subnetPoolId), cancellationToken);
}
