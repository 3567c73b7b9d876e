using Kuryr.Neutron.Transport;

namespace Kuryr.Neutron.Tests.Transport;

public class NeutronEndpointTests
{
    [Theory]
    [InlineData("http://127.0.0.1:19697", "http://127.0.0.1:19697/v2.0/")]
    [InlineData("http://127.0.0.1:19697/", "http://127.0.0.1:19697/v2.0/")]
    [InlineData("http://127.0.0.1:19696/v2.0", "http://127.0.0.1:19696/v2.0/")]
    [InlineData("http://127.0.0.1:19696/v2.0/", "http://127.0.0.1:19696/v2.0/")]
    [InlineData("https://cloud.example/network", "https://cloud.example/network/v2.0/")]
    public void Normalize_always_ends_in_v2_0(string input, string expected) =>
        Assert.Equal(expected, NeutronEndpoint.Normalize(input, "endpoint_override").ToString());

    [Theory]
    [InlineData("not a url")]
    [InlineData("ftp://host/v2.0")]
    [InlineData("/v2.0")]
    public void Normalize_rejects_bad_urls_naming_the_field(string input)
    {
        var e = Assert.Throws<ArgumentException>(() => NeutronEndpoint.Normalize(input, "[neutron] endpoint_override"));
        Assert.Contains("[neutron] endpoint_override", e.Message);
    }

    [Fact]
    public void Resolve_appends_path_and_escaped_repeated_query()
    {
        var root = NeutronEndpoint.Normalize("http://h:9696", "x");
        var request = new NeutronRequest("list_ports", HttpMethod.Get, "ports")
        {
            Query = [new("fixed_ips", "ip_address=10.0.0.1"), new("fixed_ips", "subnet_id=a b"), new("tags", "x&y")],
        };

        Assert.Equal("http://h:9696/v2.0/ports?fixed_ips=ip_address%3D10.0.0.1&fixed_ips=subnet_id%3Da%20b&tags=x%26y",
            NeutronEndpoint.Resolve(root, request).AbsoluteUri);
    }

    [Fact]
    public void Resolve_tolerates_leading_slash_and_v2_prefix()
    {
        var root = NeutronEndpoint.Normalize("http://h:9696/v2.0", "x");

        Assert.Equal("http://h:9696/v2.0/ports/p1", NeutronEndpoint.Resolve(root, new("get_port", HttpMethod.Get, "/ports/p1")).AbsoluteUri);
        Assert.Equal("http://h:9696/v2.0/ports/p1", NeutronEndpoint.Resolve(root, new("get_port", HttpMethod.Get, "v2.0/ports/p1")).AbsoluteUri);
    }

    [Fact]
    public void Pagination_links_are_rebased_onto_our_endpoint()
    {
        var root = NeutronEndpoint.Normalize("http://proxy:1234", "x");
        var request = new NeutronRequest("list_ports", HttpMethod.Get, "ports")
        {
            AbsoluteUri = new Uri("http://internal-neutron:9696/v2.0/ports?limit=2&marker=abc"),
        };

        Assert.Equal("http://proxy:1234/v2.0/ports?limit=2&marker=abc", NeutronEndpoint.Resolve(root, request).AbsoluteUri);
    }

    [Fact]
    public void Links_outside_an_api_root_are_refused()
    {
        var root = NeutronEndpoint.Normalize("http://proxy:1234", "x");

        Assert.Throws<ArgumentException>(() => NeutronEndpoint.Rebase(root, new Uri("http://evil/steal")));
    }
}
