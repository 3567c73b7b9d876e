using Kuryr.Controller.MultiVif;
using Kuryr.Controller.PodNetwork;
using Kuryr.Kubernetes.Models;
using Kuryr.Pools.State;

namespace Kuryr.Controller.Tests.MultiVif;

public sealed class NoopMultiVifDriverTests
{
    [Fact]
    public async Task Noop_gives_no_additional_vif_even_with_network_annotations()
    {
        var pod = new Pod { Metadata = new ObjectMeta { Name = "p", Namespace = "n", Annotations = new() { ["k8s.v1.cni.cncf.io/networks"] = "net1" } } };
        var context = new MultiVifContext(pod, new PodNetworkInfo("proj", "subnet", "net", SecurityGroupSet.Default), 1, "eth");

        var vifs = await new NoopMultiVifDriver().RequestAdditionalVifsAsync(context, CancellationToken.None);

        Assert.Empty(vifs);
        Assert.Equal("eth3", context.InterfaceName(2));
    }
}
