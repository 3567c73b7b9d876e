using Kuryr.Neutron.Trunks;
using Microsoft.Extensions.Logging.Abstractions;

namespace Kuryr.Neutron.Tests.Trunks;

public sealed class TrunkRequestTests
{
    private readonly RecordingTransport _transport = new();

    private NeutronClient Client => new(_transport, NullLogger<NeutronClient>.Instance);

    [Fact]
    public async Task Add_subports_sends_vlan_subports_and_is_not_retried()
    {
        _transport.Answer("""{"id":"t1","port_id":"parent","sub_ports":[{"port_id":"p1","segmentation_type":"vlan","segmentation_id":7}]}""");

        var trunk = await Client.AddSubportsAsync("t1", [new SubPort("p1", 7)]);

        Assert.Equal(7, Assert.Single(trunk.SubPorts).SegmentationId);
        var request = _transport.Requests[0];
        Assert.Equal(HttpMethod.Put, request.Method);
        Assert.Equal("trunks/t1/add_subports", request.Path);
        Assert.False(request.Idempotent);
        Assert.Equal("""{"sub_ports":[{"port_id":"p1","segmentation_type":"vlan","segmentation_id":7}]}""", RecordingTransport.BodyOf(request));
    }

    [Fact]
    public async Task Remove_subports_sends_only_port_ids()
    {
        _transport.Answer("""{"id":"t1","port_id":"parent","sub_ports":[]}""");

        await Client.RemoveSubportsAsync("t1", ["p1", "p2"]);

        Assert.Equal("trunks/t1/remove_subports", _transport.Requests[0].Path);
        Assert.False(_transport.Requests[0].Idempotent);
        Assert.Equal("""{"sub_ports":[{"port_id":"p1"},{"port_id":"p2"}]}""", RecordingTransport.BodyOf(_transport.Requests[0]));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(4095)]
    public async Task A_vlan_id_out_of_range_is_refused_naming_the_subport(int vlan)
    {
        var e = await Assert.ThrowsAsync<ArgumentException>(() => Client.AddSubportsAsync("t1", [new SubPort("p0", 5), new SubPort("p1", vlan)]));

        Assert.Equal("sub_ports[1].segmentation_id", e.ParamName);
        Assert.Empty(_transport.Requests);
    }

    [Fact]
    public async Task An_empty_subport_list_is_refused()
    {
        await Assert.ThrowsAsync<ArgumentException>(() => Client.AddSubportsAsync("t1", []));
        await Assert.ThrowsAsync<ArgumentException>(() => Client.RemoveSubportsAsync("t1", []));
        Assert.Empty(_transport.Requests);
    }
}
