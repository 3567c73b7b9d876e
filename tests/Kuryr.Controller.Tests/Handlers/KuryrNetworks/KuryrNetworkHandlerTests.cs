using Kuryr.Controller.Handlers;
using Kuryr.Kubernetes.Client;
using Kuryr.Kubernetes.Models;
using Kuryr.Neutron;
using Kuryr.Neutron.Networks;
using Kuryr.Neutron.Ports;
using Kuryr.Pools;
using Kuryr.Pools.State;
using Microsoft.Extensions.DependencyInjection;

namespace Kuryr.Controller.Tests.Handlers.KuryrNetworks;

/// <summary>The kuryrnetwork and kuryrnetwork_population handlers on the real API server, Neutron and Redis.</summary>
[Collection(NamespaceNetworkGroup.Collection)]
public sealed class KuryrNetworkHandlerTests(NamespaceNetworkBed bed)
{
    private INeutronClient Neutron => bed.Project.Admin;

    private async Task<KuryrNetwork> CreateKuryrNetworkAsync(string ns) =>
        await bed.KubeClient.CreateAsync(KubernetesResources.KuryrNetworks, new KuryrNetwork
        {
            Metadata = new ObjectMeta { Name = ns, Namespace = ns, Finalizers = [KuryrConstants.KuryrNetworkFinalizer] },
            Spec = new KuryrNetworkSpec { NsName = ns, ProjectId = bed.Project.ProjectId, NsLabels = [] },
        });

    private Task<KuryrNetwork> ReadAsync(string ns) => bed.KubeClient.GetAsync(KubernetesResources.KuryrNetworks, ns, ns);

    private async Task<List<Network>> NetworksNamedAsync(string ns) =>
        await Neutron.ListNetworksAsync(new NetworkFilter { Name = "ns/" + ns + "-net", ProjectId = bed.Project.ProjectId }).ToListAsync();

    /// <summary>The status as each write left it, read back from the API server by a watch.</summary>
    private async Task<List<KuryrNetworkStatus?>> WatchStatusesAsync(string ns, string fromVersion, Func<Task> action)
    {
        var seen = new List<KuryrNetworkStatus?>();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var watching = Task.Run(async () =>
        {
            try
            {
                await foreach (var e in bed.KubeClient.WatchAsync(KubernetesResources.KuryrNetworks, ns, new WatchOptions { ResourceVersion = fromVersion }, cts.Token))
                {
                    seen.Add(e.Object?.Status);
                }
            }
            catch (OperationCanceledException)
            {
            }
        });
        await Task.Delay(300);
        await action();
        await Task.Delay(1000);
        await cts.CancelAsync();
        await watching;
        return seen;
    }

    [Fact]
    public async Task Network_subnet_from_the_pool_and_router_interface_are_made_with_status_written_after_each_step()
    {
        var ns = await bed.Kube.CreateNamespaceAsync("kns-steps");
        var kn = await CreateKuryrNetworkAsync(ns);
        var handler = NamespaceNetworkBed.NetworkHandler(bed.Services);

        var statuses = await WatchStatusesAsync(ns, kn.Metadata.ResourceVersion!, () => handler.OnPresentAsync(kn, default));

        var status = (await ReadAsync(ns)).Status!;
        var network = Assert.Single(await NetworksNamedAsync(ns));
        var subnet = await Neutron.GetSubnetAsync(status.SubnetId!);
        Assert.Equal(network.Id, status.NetId);
        Assert.Contains("kuryr.node.cluster=kns-tests", network.Tags);
        Assert.Contains("kuryr.node.cluster=kns-tests", subnet.Tags);
        Assert.Equal(bed.SubnetPool.Id, subnet.SubnetpoolId);
        Assert.Equal(subnet.Cidr, status.SubnetCIDR);
        Assert.EndsWith("/27", subnet.Cidr, StringComparison.Ordinal);
        Assert.Equal(bed.Router.Id, status.RouterId);
        Assert.False(status.Populated);
        Assert.Single(await Neutron.ListPortsAsync(new PortFilter { DeviceId = bed.Router.Id, NetworkId = network.Id }).ToListAsync());

        // Step by step: netId alone, then the subnet, then routerId with populated: false.
        Assert.Equal(3, statuses.Count);
        Assert.True(statuses[0] is { NetId: not null, SubnetId: null, RouterId: null, Populated: null });
        Assert.True(statuses[1] is { SubnetId: not null, SubnetCIDR: not null, RouterId: null, Populated: null });
        Assert.True(statuses[2] is { RouterId: not null, Populated: false });

        // A resync of the complete object changes nothing.
        var done = await ReadAsync(ns);
        await handler.OnPresentAsync(done, default);
        Assert.Equal(done.Metadata.ResourceVersion, (await ReadAsync(ns)).Metadata.ResourceVersion);
        Assert.Single(await NetworksNamedAsync(ns));
    }

    [Fact]
    public async Task Bug_a_crash_between_the_network_create_and_the_status_write_made_a_second_network()
    {
        var ns = await bed.Kube.CreateNamespaceAsync("kns-crash");
        var kn = await CreateKuryrNetworkAsync(ns);
        // The first run created (and tagged) the network, then died before writing status.netId.
        var orphan = await NamespaceNetworkBed.Driver(bed.Services).EnsureNetworkAsync(ns, bed.Project.ProjectId, kn.Metadata.Uid!, default);
        Assert.Null((await ReadAsync(ns)).Status?.NetId);

        await NamespaceNetworkBed.NetworkHandler(bed.Services).OnPresentAsync(kn, default);

        Assert.Equal([orphan], (await NetworksNamedAsync(ns)).Select(n => n.Id));
        Assert.Equal(orphan, (await ReadAsync(ns)).Status?.NetId);
        // The same after a crash before the subnet status write: the subnet on the network is found again.
        var again = await ReadAsync(ns);
        var subnets = await Neutron.ListSubnetsAsync(new() { NetworkId = orphan }).ToListAsync();
        Assert.Equal(again.Status?.SubnetId, Assert.Single(subnets).Id);
    }

    [Fact]
    public async Task A_missing_pod_subnet_pool_is_an_error_naming_the_option()
    {
        var ns = await bed.Kube.CreateNamespaceAsync("kns-nopool");
        var kn = await CreateKuryrNetworkAsync(ns);
        await using var sp = bed.Build(subnetPool: false);

        var e = await Assert.ThrowsAsync<InvalidOperationException>(() => NamespaceNetworkBed.NetworkHandler(sp).OnPresentAsync(kn, default));

        Assert.Contains("[namespace_subnet] pod_subnet_pool", e.Message, StringComparison.Ordinal);
        // The network step had run and was recorded: a fixed config continues from there.
        var netId = (await ReadAsync(ns)).Status?.NetId;
        Assert.NotNull(netId);
        await NamespaceNetworkBed.NetworkHandler(bed.Services).OnPresentAsync(await ReadAsync(ns), default);
        Assert.Equal(netId, (await ReadAsync(ns)).Status?.NetId);
        Assert.NotNull((await ReadAsync(ns)).Status?.SubnetId);
    }

    [Fact]
    public async Task Finalize_frees_the_namespace_pools_waits_for_ports_in_use_then_deletes_subnet_network_and_finalizer()
    {
        var ns = await bed.Kube.CreateNamespaceAsync("kns-final");
        await NamespaceNetworkBed.NetworkHandler(bed.Services).OnPresentAsync(await CreateKuryrNetworkAsync(ns), default);
        var status = (await ReadAsync(ns)).Status!;
        var pool = new PoolKey(bed.Hosts[0], bed.Project.ProjectId, status.NetId!);
        Assert.Equal(2, await bed.Pool.PopulateAsync(new PoolTarget(pool, "neutron", bed.Hosts[0], status.SubnetId!, SecurityGroupSet.Default), 2));
        var taken = await bed.Pool.RequestVifAsync(new PodVifRequest(ns, "p1", "uid-1", bed.Hosts[0], null, "eth0",
            bed.Project.ProjectId, status.SubnetId!, status.NetId!, SecurityGroupSet.Default));
        await bed.KubeClient.DeleteAsync(KubernetesResources.KuryrNetworks, ns, ns);
        var terminating = await ReadAsync(ns);
        Assert.NotNull(terminating.Metadata.DeletionTimestamp);
        var handler = NamespaceNetworkBed.NetworkHandler(bed.Services);

        // One port still belongs to a pod: the free one goes, the network stays.
        await Assert.ThrowsAsync<ResourceNotReadyException>(() => handler.OnFinalizeAsync(terminating, default));
        var left = await bed.Project.ListPortsAsync(status.NetId);
        Assert.Equal([taken.PortId], left.Where(p => p.DeviceOwner == "compute:kuryr").Select(p => p.Id));
        Assert.NotNull(await bed.KubeClient.TryGetAsync(KubernetesResources.KuryrNetworks, ns, ns));

        await bed.Pool.ReleaseVifAsync(new VifRelease(taken.Pool, taken.Driver, taken.PortId, null));
        await handler.OnFinalizeAsync(await ReadAsync(ns), default);

        Assert.Empty(await bed.Project.ListPortsAsync(status.NetId));
        Assert.Empty(await NetworksNamedAsync(ns));
        Assert.DoesNotContain(pool, await bed.Store.ListPoolsAsync());
        Assert.Null(await bed.KubeClient.TryGetAsync(KubernetesResources.KuryrNetworks, ns, ns));
        // A second finalize (event replayed) tolerates everything being gone.
        await handler.OnFinalizeAsync(terminating, default);
    }

    [Fact]
    public async Task Population_waits_for_the_complete_network_then_marks_populated_and_fills_each_nodes_pool()
    {
        var ns = await bed.Kube.CreateNamespaceAsync("kns-pop");
        var kn = await CreateKuryrNetworkAsync(ns);
        var population = NamespaceNetworkBed.PopulationHandler(bed.Services);
        // Status half written (netId and subnet, no populated yet): Kuryr populated here and raced (LP #1916544).
        var (netId, subnet) = await bed.Project.CreateNetworkAsync("10.97.0.0/24");
        await bed.KubeClient.PatchAsync(KubernetesResources.KuryrNetworks, ns, ns, KubernetesPatch.Merge(new()
        {
            ["status"] = new System.Text.Json.Nodes.JsonObject { ["netId"] = netId.Id, ["subnetId"] = subnet.Id },
        }));

        await population.OnPresentAsync(await ReadAsync(ns), default);

        Assert.Null((await ReadAsync(ns)).Status?.Populated);
        Assert.Empty(await bed.Project.ListPortsAsync(netId.Id));

        // The kuryrnetwork handler finishes (router, populated: false); now population runs.
        await NamespaceNetworkBed.NetworkHandler(bed.Services).OnPresentAsync(await ReadAsync(ns), default);
        var complete = await ReadAsync(ns);
        Assert.False(complete.Status?.Populated);
        await population.OnPresentAsync(complete, default);

        Assert.True((await ReadAsync(ns)).Status?.Populated);
        foreach (var host in bed.Hosts)
        {
            var snapshot = await bed.Store.ReadAsync(new PoolKey(host, bed.Project.ProjectId, netId.Id));
            Assert.Equal(1, snapshot.Count(PortState.Available)); // (int)max(2/2, 1)
        }

        Assert.Equal(2, (await bed.Project.ListPortsAsync(netId.Id)).Count(p => p.DeviceOwner == "compute:kuryr"));
        // Replayed event: populated already, nothing more.
        await population.OnPresentAsync(await ReadAsync(ns), default);
        Assert.Equal(2, (await bed.Project.ListPortsAsync(netId.Id)).Count(p => p.DeviceOwner == "compute:kuryr"));
        foreach (var host in bed.Hosts)
        {
            await bed.Pool.FreePoolAsync(new PoolKey(host, bed.Project.ProjectId, netId.Id));
        }
    }
}
