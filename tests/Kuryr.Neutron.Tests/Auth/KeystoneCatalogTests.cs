using Kuryr.Neutron.Auth;
using Kuryr.Neutron.Errors;

namespace Kuryr.Neutron.Tests.Auth;

public class KeystoneCatalogTests
{
    private static KeystoneCatalogEndpoint Ep(string iface, string region, string url) => new() { Interface = iface, Region = region, RegionId = region, Url = url };

    private static readonly IReadOnlyList<KeystoneCatalogService> Catalog =
    [
        new() { Type = "identity", Endpoints = [Ep("public", "RegionOne", "http://keystone")] },
        new()
        {
            Type = "network",
            Endpoints =
            [
                Ep("public", "RegionOne", "http://public-one:9696"),
                Ep("internal", "RegionTwo", "http://internal-two:9696"),
                Ep("admin", "RegionOne", "http://admin-one:9696"),
                Ep("public", "RegionTwo", "http://public-two:9696"),
            ],
        },
    ];

    [Fact]
    public void First_interface_in_order_wins()
    {
        Assert.Equal("http://internal-two:9696", KeystoneCatalog.SelectEndpoint(Catalog, "network", ["internal", "public"], null));
        Assert.Equal("http://public-one:9696", KeystoneCatalog.SelectEndpoint(Catalog, "network", ["public", "internal"], null));
    }

    [Fact]
    public void Region_filters_endpoints()
    {
        Assert.Equal("http://public-one:9696", KeystoneCatalog.SelectEndpoint(Catalog, "network", ["internal", "public"], "RegionOne"));
        Assert.Equal("http://public-two:9696", KeystoneCatalog.SelectEndpoint(Catalog, "network", ["public"], "RegionTwo"));
    }

    [Fact]
    public void Legacy_URL_suffix_interfaces_are_accepted()
    {
        Assert.Equal("http://admin-one:9696", KeystoneCatalog.SelectEndpoint(Catalog, "network", ["adminURL"], null));
    }

    [Fact]
    public void Missing_endpoint_names_service_type_interfaces_and_region()
    {
        var e = Assert.Throws<NeutronEndpointNotFoundException>(() => KeystoneCatalog.SelectEndpoint(Catalog, "network", ["internal"], "RegionOne"));

        Assert.Contains("'network'", e.Message);
        Assert.Contains("[internal]", e.Message);
        Assert.Contains("'RegionOne'", e.Message);
        Assert.Contains("internal@RegionTwo", e.Message);
    }

    [Fact]
    public void Missing_service_type_lists_the_types_present()
    {
        var e = Assert.Throws<NeutronEndpointNotFoundException>(() => KeystoneCatalog.SelectEndpoint(Catalog, "compute", ["public"], null));

        Assert.Contains("'compute'", e.Message);
        Assert.Contains("identity, network", e.Message);
    }
}
