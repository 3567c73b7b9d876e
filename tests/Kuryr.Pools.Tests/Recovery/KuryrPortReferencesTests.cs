using System.Text.Json.Nodes;
using Kuryr.Pools.Recovery;

namespace Kuryr.Pools.Tests.Recovery;

public sealed class KuryrPortReferencesTests
{
    [Fact]
    public void Port_id_comes_from_the_os_vif_envelope()
    {
        var vif = JsonNode.Parse("""{"versioned_object.name":"VIFOpenVSwitch","versioned_object.namespace":"os_vif","versioned_object.version":"1.0","versioned_object.data":{"id":"p-1","address":"fa:16:3e:00:00:01"}}""")!.AsObject();
        Assert.Equal("p-1", KuryrPortReferences.PortIdOf(vif, "ns", "pod", "eth0"));
    }

    [Fact]
    public void A_vif_without_an_id_names_the_object_and_the_field()
    {
        var vif = JsonNode.Parse("""{"versioned_object.data":{"address":"x"}}""")!.AsObject();
        var e = Assert.Throws<KuryrPortReferenceException>(() => KuryrPortReferences.PortIdOf(vif, "ns", "pod", "eth1"));
        Assert.Contains("ns/pod", e.Message, StringComparison.Ordinal);
        Assert.Contains("status.vifs.eth1.vif.versioned_object.data.id", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_owner_exists_only_with_a_KuryrPort_of_the_same_pod_uid()
    {
        var set = new KuryrPortReferenceSet([new KuryrPortReference("p1", "ns", "a", "u1", "eth0")], [("ns", "a", "u1"), ("ns", "b", "u2")]);
        Assert.True(set.OwnerExists("ns/a/u1/eth0"));
        Assert.True(set.OwnerExists("ns/b/u2/eth1"));
        Assert.False(set.OwnerExists("ns/a/OLD/eth0"));
        Assert.False(set.OwnerExists("garbage"));
        Assert.True(set.IsReferenced("p1"));
        Assert.Equal("ns/a/u1/eth0", set.ByPortId["p1"].Owner);
    }
}
