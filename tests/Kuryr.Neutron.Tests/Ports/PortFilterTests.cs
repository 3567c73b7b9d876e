using Kuryr.Neutron.Ports;

namespace Kuryr.Neutron.Tests.Ports;

public sealed class PortFilterTests
{
    [Fact]
    public void Every_filter_maps_to_neutrons_query_key()
    {
        var query = new PortFilter
        {
            Ids = ["i1", "i2"],
            Name = "nm",
            ProjectId = "pr",
            NetworkId = "ne",
            DeviceOwner = "compute:kuryr",
            DeviceId = "dev",
            Status = "DOWN",
            MacAddress = "fa:16:3e:00:00:01",
            BindingHostId = "node-1",
            FixedIps = [new FixedIpRequest { IpAddress = "10.0.0.5" }, new FixedIpRequest { SubnetId = "sub" }],
            Tags = ["a", "b"],
            TagsAny = ["c"],
            NotTags = ["d", "e"],
            NotTagsAny = ["f"],
            Fields = ["id", "tags"],
            Limit = 10,
        }.ToQuery();

        Assert.Equal(
        [
            new("id", "i1"), new("id", "i2"), new("name", "nm"), new("project_id", "pr"),
            new("network_id", "ne"), new("device_owner", "compute:kuryr"), new("device_id", "dev"), new("status", "DOWN"),
            new("mac_address", "fa:16:3e:00:00:01"), new("binding:host_id", "node-1"),
            new("fixed_ips", "ip_address=10.0.0.5"), new("fixed_ips", "subnet_id=sub"),
            new("tags", "a,b"), new("tags-any", "c"), new("not-tags", "d,e"), new("not-tags-any", "f"),
            new("fields", "id"), new("fields", "tags"), new("limit", "10"),
        ], query);
    }

    [Fact]
    public void An_empty_filter_sends_nothing() => Assert.Empty(new PortFilter().ToQuery());

    [Fact]
    public void An_empty_list_filter_is_refused_rather_than_meaning_no_filter()
    {
        var e = Assert.Throws<ArgumentException>(() => new PortFilter { TagsAny = [] }.ToQuery());
        Assert.Contains("tags-any", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_tag_with_a_comma_is_refused() =>
        Assert.Throws<ArgumentException>(() => new PortFilter { Tags = ["a,b"] }.ToQuery());

    [Fact]
    public void A_fixed_ip_filter_needs_an_address_or_a_subnet() =>
        Assert.Throws<ArgumentException>(() => new PortFilter { FixedIps = [new FixedIpRequest()] }.ToQuery());

    [Theory]
    [InlineData(0)]
    [InlineData(-3)]
    public void A_page_size_must_be_positive(int limit) =>
        Assert.Throws<ArgumentException>(() => new PortFilter { Limit = limit }.ToQuery());
}
