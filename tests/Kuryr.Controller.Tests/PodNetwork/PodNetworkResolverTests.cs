using Kuryr.Config.Options;
using Kuryr.Controller.Handlers;
using Kuryr.Controller.PodNetwork;
using Kuryr.Controller.Tests.Handlers.Pods;
using Kuryr.Kubernetes.Client;
using Kuryr.Kubernetes.Models;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Kuryr.Controller.Tests.PodNetwork;

public sealed class PodNetworkResolverUnitTests
{
    private static readonly Pod Pod = new() { Metadata = new ObjectMeta { Name = "p", Namespace = "n", Uid = "u" } };

    private static PodNetworkResolver Resolver(NeutronDefaultsOptions defaults, string subnetsDriver = "default") =>
        new(Options.Create(new KubernetesOptions { PodSubnetsDriver = subnetsDriver }), Options.Create(defaults), null!, null!, NullLogger<PodNetworkResolver>.Instance);

    [Fact]
    public async Task Missing_project_fails_naming_the_option()
    {
        var e = await Assert.ThrowsAsync<PodNetworkException>(() => Resolver(new NeutronDefaultsOptions { PodSubnet = "s" }).ResolveAsync(Pod, CancellationToken.None));

        Assert.Contains("[neutron_defaults] project", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Missing_pod_subnet_fails_naming_the_option()
    {
        var e = await Assert.ThrowsAsync<PodNetworkException>(() => Resolver(new NeutronDefaultsOptions { Project = "p" }).ResolveAsync(Pod, CancellationToken.None));

        Assert.Contains("[neutron_defaults] pod_subnet", e.Message, StringComparison.Ordinal);
    }
}

/// <summary>The namespace subnets driver against the REAL API server's KuryrNetworks and Neutron.</summary>
[Collection("kpods")]
public sealed class PodNetworkResolverTests(PodHandlersBed bed) : IClassFixture<PodHandlersBed>
{
    [Fact]
    public async Task Namespace_driver_waits_for_the_kuryrnetwork_subnet_then_uses_it_and_its_network()
    {
        await using var provider = bed.Compose(waitForActivePorts: false, extraKubernetes: "pod_subnets_driver = namespace");
        var resolver = provider.GetRequiredService<IPodNetworkResolver>();
        var client = provider.GetRequiredService<IKubernetesClient>();
        var ns = await bed.Kube.CreateNamespaceAsync("kpods-nsnet");
        var pod = new Pod { Metadata = new ObjectMeta { Name = "p", Namespace = ns, Uid = "u" } };

        var missing = await Assert.ThrowsAsync<ResourceNotReadyException>(() => resolver.ResolveAsync(pod, CancellationToken.None));
        Assert.Contains($"namespace {ns} has no KuryrNetwork", missing.Message, StringComparison.Ordinal);

        await client.CreateAsync(KubernetesResources.KuryrNetworks, new KuryrNetwork
        {
            Metadata = new ObjectMeta { Name = ns, Namespace = ns },
            Spec = new KuryrNetworkSpec { NsName = ns, ProjectId = bed.Project.ProjectId, NsLabels = [] },
        });
        var noSubnet = await Assert.ThrowsAsync<ResourceNotReadyException>(() => resolver.ResolveAsync(pod, CancellationToken.None));
        Assert.Contains("status.subnetId", noSubnet.Message, StringComparison.Ordinal);

        await client.PatchAsync(KubernetesResources.KuryrNetworks, ns, ns,
            KubernetesPatch.Merge(new() { ["status"] = new System.Text.Json.Nodes.JsonObject { ["subnetId"] = bed.PodSubnet.Id } }));
        var info = await resolver.ResolveAsync(pod, CancellationToken.None);

        Assert.Equal(bed.PodSubnet.Id, info.SubnetId);
        Assert.Equal(bed.PodNetwork.Id, info.NetworkId);
        Assert.Equal(bed.Project.ProjectId, info.ProjectId);
    }
}
