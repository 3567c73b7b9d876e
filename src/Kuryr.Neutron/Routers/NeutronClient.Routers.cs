using Kuryr.Neutron.Routers;
using Kuryr.Neutron.Serialization;
using Kuryr.Neutron.Transport;

namespace Kuryr.Neutron;

internal sealed partial class NeutronClient
{
    public Task<Router> CreateRouterAsync(RouterCreate router, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(router);
        return PostAsync("create_router", "routers", "router", router, Json.RouterCreate, Json.Router, cancellationToken);
    }

    public Task<Router> GetRouterAsync(string routerId, CancellationToken cancellationToken = default) =>
        ShowAsync("show_router", "routers", "router", routerId, nameof(routerId), Json.Router, cancellationToken);

    public IAsyncEnumerable<Router> ListRoutersAsync(RouterFilter? filter = null, CancellationToken cancellationToken = default) =>
        ListAsync("list_routers", "routers", filter, Json.Router, cancellationToken);

    public Task<bool> DeleteRouterAsync(string routerId, CancellationToken cancellationToken = default) =>
        DeleteAsync("delete_router", "routers", routerId, nameof(routerId), cancellationToken);

    public Task<RouterInterface> AddRouterInterfaceAsync(string routerId, string subnetId, CancellationToken cancellationToken = default) =>
        RouterInterfaceAsync("add_router_interface", routerId, subnetId, cancellationToken);

    public Task<RouterInterface> RemoveRouterInterfaceAsync(string routerId, string subnetId, CancellationToken cancellationToken = default) =>
        RouterInterfaceAsync("remove_router_interface", routerId, subnetId, cancellationToken);

    private async Task<RouterInterface> RouterInterfaceAsync(string operation, string routerId, string subnetId, CancellationToken cancellationToken)
    {
        var path = "routers/" + PathId(routerId, nameof(routerId)) + "/" + operation;
        Require(subnetId, nameof(subnetId));
        var request = new NeutronRequest(operation, HttpMethod.Put, path)
        {
            Body = System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(new RouterInterfaceRequest(subnetId), Json.RouterInterfaceRequest),
            // Not idempotent: repeating an add that landed answers 400 (subnet already attached),
            // repeating a remove that landed answers 404.
            Idempotent = false,
        };
        var response = await SendAsync(request, cancellationToken);
        return NeutronJson.Read(response, Json.RouterInterface, operation);
    }
}
