using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using Kuryr.Kubernetes.Client;
using Kuryr.Kubernetes.Config;
using Kuryr.Kubernetes.Models;
using Kuryr.Testing.TestBed;
using Kuryr.Testing.Time;
using Microsoft.Extensions.DependencyInjection;

namespace Kuryr.Kubernetes.Tests.Client;

/// <summary>Against the real kube-apiserver v1.20.2 of the test bed; a fresh namespace per test class.</summary>
public sealed class KubernetesClientTests(KubeTestBed bed) : IClassFixture<KubeTestBed>, IAsyncLifetime
{
    private IKubernetesClient _client = null!;
    private string _ns = "";

    public async Task InitializeAsync()
    {
        _ns = await bed.CreateNamespaceAsync("k8s-client");
        _client = KubernetesClientFactory.Create(KubeConfigLoader.Load(bed.KubeConfigPath));
    }

    public Task DisposeAsync()
    {
        _client.Dispose();
        return Task.CompletedTask;
    }

    private Pod NewPod(string name, string? node = null, Dictionary<string, string>? labels = null) => new()
    {
        Metadata = { Name = name, Namespace = _ns, Labels = labels },
        Spec = new PodSpec { NodeName = node, Containers = [new Container { Name = "c", Image = "busybox" }] },
    };

    [Fact]
    public async Task Pod_create_get_list_replace_delete()
    {
        var created = await _client.CreateAsync(KubernetesResources.Pods, NewPod("p1", "node-a", new() { ["app"] = "x" }));
        Assert.False(string.IsNullOrEmpty(created.Metadata.Uid));
        Assert.NotNull(created.Metadata.CreationTimestamp);
        Assert.Equal("Pending", created.Status!.Phase);

        var got = await _client.GetAsync(KubernetesResources.Pods, _ns, "p1");
        Assert.Equal(created.Metadata.Uid, got.Metadata.Uid);
        Assert.Equal("node-a", got.Spec!.NodeName);

        got.Metadata.Labels!["extra"] = "1";
        var replaced = await _client.ReplaceAsync(KubernetesResources.Pods, got);
        Assert.Equal("1", replaced.Metadata.Labels!["extra"]);
        Assert.NotEqual(got.Metadata.ResourceVersion, replaced.Metadata.ResourceVersion);

        var list = await _client.ListAsync(KubernetesResources.Pods, _ns);
        Assert.Equal("p1", Assert.Single(list.Items).Metadata.Name);
        Assert.False(string.IsNullOrEmpty(list.Metadata.ResourceVersion));

        // Bound pod: only gracePeriodSeconds=0 removes it (no kubelet here).
        var deleted = await _client.DeleteAsync(KubernetesResources.Pods, _ns, "p1", new DeleteOptions { GracePeriodSeconds = 0 });
        Assert.Equal(created.Metadata.Uid, deleted.Object!.Metadata.Uid);
        var e = await Assert.ThrowsAsync<KubernetesApiException>(() => _client.GetAsync(KubernetesResources.Pods, _ns, "p1"));
        Assert.True(e.IsNotFound);
        Assert.Equal(HttpStatusCode.NotFound, e.StatusCode);
        Assert.Equal("NotFound", e.Status!.Reason);
        Assert.Null(await _client.TryGetAsync(KubernetesResources.Pods, _ns, "p1"));
    }

    [Fact]
    public async Task Create_twice_is_already_exists()
    {
        await _client.CreateAsync(KubernetesResources.ConfigMaps, new ConfigMap { Metadata = { Name = "dup", Namespace = _ns } });
        var e = await Assert.ThrowsAsync<KubernetesApiException>(() =>
            _client.CreateAsync(KubernetesResources.ConfigMaps, new ConfigMap { Metadata = { Name = "dup", Namespace = _ns } }));
        Assert.True(e.IsAlreadyExists);
        Assert.Equal(HttpStatusCode.Conflict, e.StatusCode);
    }

    [Fact]
    public async Task Invalid_object_is_invalid_with_the_field_in_the_causes()
    {
        var pod = NewPod("Bad_Name");
        var e = await Assert.ThrowsAsync<KubernetesApiException>(() => _client.CreateAsync(KubernetesResources.Pods, pod));
        Assert.True(e.IsInvalid);
        Assert.Contains(e.Status!.Details!.Causes!, c => c.Field == "metadata.name");
    }

    [Fact]
    public async Task Node_and_status_addresses()
    {
        var name = KubeTestBed.UniqueName("node");
        var node = await _client.CreateAsync(KubernetesResources.Nodes, new Node { Metadata = { Name = name, Labels = new() { ["pod_vif"] = "nested-vlan" } } });
        Assert.Equal("nested-vlan", node.Metadata.Labels!["pod_vif"]);
        node.Status ??= new NodeStatus();
        node.Status.Addresses = [new NodeAddress { Type = "InternalIP", Address = "192.0.2.10" }];
        await _client.ReplaceStatusAsync(KubernetesResources.Nodes, node);
        var got = await _client.GetAsync(KubernetesResources.Nodes, null, name);
        Assert.Equal("192.0.2.10", Assert.Single(got.Status!.Addresses!).Address);
        await _client.DeleteAsync(KubernetesResources.Nodes, null, name);
        Assert.Null(await _client.TryGetAsync(KubernetesResources.Nodes, null, name));
    }

    [Fact]
    public async Task Namespace_create_list_delete_leaves_it_terminating()
    {
        var name = KubeTestBed.UniqueName("ns");
        var created = await _client.CreateAsync(KubernetesResources.Namespaces, new Namespace { Metadata = { Name = name, Labels = new() { ["t"] = name } } });
        Assert.Equal("Active", created.Status!.Phase);
        var listed = await _client.ListAsync(KubernetesResources.Namespaces, null, new ListOptions { LabelSelector = "t=" + name });
        Assert.Equal(name, Assert.Single(listed.Items).Metadata.Name);
        var result = await _client.DeleteAsync(KubernetesResources.Namespaces, null, name);
        Assert.NotNull(result.Object?.Metadata.DeletionTimestamp);
        Assert.Equal("Terminating", (await _client.GetAsync(KubernetesResources.Namespaces, null, name)).Status!.Phase);
    }

    [Fact]
    public async Task Event_round_trip()
    {
        var t = new DateTimeOffset(2026, 5, 1, 12, 0, 0, TimeSpan.Zero);
        var ev = await _client.CreateAsync(KubernetesResources.Events, new Event
        {
            Metadata = { Name = "ev1", Namespace = _ns },
            InvolvedObject = new ObjectReference { Kind = "Pod", Name = "p", Namespace = _ns, Uid = "u-1", ApiVersion = "v1" },
            Reason = "KuryrPortUpdatedWithVIFs",
            Message = "VIFs set",
            Type = "Normal",
            Source = new EventSource { Component = "kuryr-controller" },
            FirstTimestamp = t,
            LastTimestamp = t.AddSeconds(5),
            Count = 2,
        });
        var got = await _client.GetAsync(KubernetesResources.Events, _ns, ev.Metadata.Name!);
        Assert.Equal("KuryrPortUpdatedWithVIFs", got.Reason);
        Assert.Equal("u-1", got.InvolvedObject!.Uid);
        Assert.Equal(t.AddSeconds(5), got.LastTimestamp);
        Assert.Equal(2, got.Count);
        Assert.Equal("kuryr-controller", got.Source!.Component);
    }

    [Fact]
    public async Task Lease_keeps_microsecond_times()
    {
        var t = new DateTimeOffset(2026, 5, 1, 12, 0, 0, TimeSpan.Zero).AddTicks(1234560);
        var lease = await _client.CreateAsync(KubernetesResources.Leases, new Lease
        {
            Metadata = { Name = "leader", Namespace = _ns },
            Spec = new LeaseSpec { HolderIdentity = "a", LeaseDurationSeconds = 15, AcquireTime = t, RenewTime = t, LeaseTransitions = 0 },
        });
        lease.Spec!.HolderIdentity = "b";
        lease.Spec.RenewTime = t.AddSeconds(3);
        lease.Spec.LeaseTransitions = 1;
        await _client.ReplaceAsync(KubernetesResources.Leases, lease);
        var got = await _client.GetAsync(KubernetesResources.Leases, _ns, "leader");
        Assert.Equal("b", got.Spec!.HolderIdentity);
        Assert.Equal(t, got.Spec.AcquireTime);
        Assert.Equal(t.AddSeconds(3), got.Spec.RenewTime);
        Assert.Equal(1, got.Spec.LeaseTransitions);
    }

    [Fact]
    public async Task Label_and_field_selectors()
    {
        await _client.CreateAsync(KubernetesResources.Pods, NewPod("sel-a", "node-1", new() { ["app"] = "a" }));
        await _client.CreateAsync(KubernetesResources.Pods, NewPod("sel-b", "node-2", new() { ["app"] = "b" }));
        await _client.CreateAsync(KubernetesResources.Pods, NewPod("sel-c", "node-1", new() { ["app"] = "b" }));

        var byLabel = await _client.ListAsync(KubernetesResources.Pods, _ns, new ListOptions { LabelSelector = "app=b" });
        Assert.Equal(["sel-b", "sel-c"], byLabel.Items.Select(p => p.Metadata.Name).Order());

        var byField = await _client.ListAsync(KubernetesResources.Pods, _ns, new ListOptions { FieldSelector = "spec.nodeName=node-1" });
        Assert.Equal(["sel-a", "sel-c"], byField.Items.Select(p => p.Metadata.Name).Order());

        var both = await _client.ListAsync(KubernetesResources.Pods, _ns, new ListOptions { LabelSelector = "app in (b)", FieldSelector = "spec.nodeName=node-1" });
        Assert.Equal("sel-c", Assert.Single(both.Items).Metadata.Name);

        // Cluster-wide list with a selector sees them too.
        var all = await _client.ListAsync(KubernetesResources.Pods, null, new ListOptions { FieldSelector = "metadata.namespace=" + _ns });
        Assert.Equal(3, all.Items.Count);
    }

    [Fact]
    public async Task Pagination_visits_every_object_exactly_once()
    {
        for (var i = 0; i < 25; i++)
        {
            await _client.CreateAsync(KubernetesResources.ConfigMaps, new ConfigMap
            {
                Metadata = { Name = $"cm-{i:00}", Namespace = _ns, Labels = new() { ["page"] = "yes" } },
                Data = new() { ["i"] = i.ToString(System.Globalization.CultureInfo.InvariantCulture) },
            });
        }

        var pages = new List<KubernetesList<ConfigMap>>();
        await foreach (var page in _client.ListPagesAsync(KubernetesResources.ConfigMaps, _ns, new ListOptions { Limit = 10, LabelSelector = "page=yes" }))
        {
            pages.Add(page);
        }

        Assert.Equal([10, 10, 5], pages.Select(p => p.Items.Count));
        Assert.False(string.IsNullOrEmpty(pages[0].Metadata.Continue));
        Assert.True(string.IsNullOrEmpty(pages[2].Metadata.Continue));
        var names = pages.SelectMany(p => p.Items).Select(c => c.Metadata.Name!).ToList();
        Assert.Equal(Enumerable.Range(0, 25).Select(i => $"cm-{i:00}"), names.Order());

        var flat = new List<string>();
        await foreach (var cm in _client.ListAllAsync(KubernetesResources.ConfigMaps, _ns, new ListOptions { Limit = 7, LabelSelector = "page=yes" }))
        {
            flat.Add(cm.Metadata.Name!);
        }

        Assert.Equal(25, flat.Distinct().Count());
        Assert.Equal(25, flat.Count);
    }

    [Fact]
    public async Task Replace_with_a_stale_resource_version_is_a_conflict()
    {
        var cm = await _client.CreateAsync(KubernetesResources.ConfigMaps, new ConfigMap { Metadata = { Name = "stale", Namespace = _ns }, Data = new() { ["a"] = "1" } });
        var copy = await _client.GetAsync(KubernetesResources.ConfigMaps, _ns, "stale");
        cm.Data!["a"] = "2";
        await _client.ReplaceAsync(KubernetesResources.ConfigMaps, cm);

        copy.Data!["a"] = "3";
        var e = await Assert.ThrowsAsync<KubernetesApiException>(() => _client.ReplaceAsync(KubernetesResources.ConfigMaps, copy));
        Assert.True(e.IsConflict);
        Assert.Equal("Conflict", e.Reason);
        Assert.Equal(409, e.Status!.Code);
        Assert.Equal("2", (await _client.GetAsync(KubernetesResources.ConfigMaps, _ns, "stale")).Data!["a"]);
    }

    [Fact]
    public async Task Unknown_fields_survive_a_replace()
    {
        // Fields the models do not know: spec.activeDeadlineSeconds, containers[].workingDir, tolerations.
        using (var http = bed.CreateHttpClient())
        {
            using var content = new StringContent($$$"""
                {"apiVersion":"v1","kind":"Pod","metadata":{"name":"unk","namespace":"{{{_ns}}}"},
                 "spec":{"activeDeadlineSeconds":1234,"tolerations":[{"key":"k","operator":"Exists"}],
                         "containers":[{"name":"c","image":"busybox","workingDir":"/work"}]}}
                """, System.Text.Encoding.UTF8, "application/json");
            (await http.PostAsync(new Uri(bed.Server, $"/api/v1/namespaces/{_ns}/pods"), content)).EnsureSuccessStatusCode();
        }

        var pod = await _client.GetAsync(KubernetesResources.Pods, _ns, "unk");
        pod.Metadata.Labels = new() { ["touched"] = "yes" };
        await _client.ReplaceAsync(KubernetesResources.Pods, pod);

        using var check = bed.CreateHttpClient();
        var raw = JsonNode.Parse(await check.GetStringAsync(new Uri(bed.Server, $"/api/v1/namespaces/{_ns}/pods/unk")))!;
        Assert.Equal("yes", (string)raw["metadata"]!["labels"]!["touched"]!);
        Assert.Equal(1234, (int)raw["spec"]!["activeDeadlineSeconds"]!);
        Assert.Equal("/work", (string)raw["spec"]!["containers"]![0]!["workingDir"]!);
        Assert.Equal("k", (string)raw["spec"]!["tolerations"]![0]!["key"]!);
    }

    [Fact]
    public async Task Strategic_merge_merges_containers_by_name_while_merge_patch_replaces_labels_map_entries()
    {
        var pod = NewPod("smp", labels: new() { ["a"] = "1" });
        pod.Spec!.Containers.Add(new Container { Name = "d", Image = "busybox" });
        await _client.CreateAsync(KubernetesResources.Pods, pod);

        var patched = await _client.PatchAsync(KubernetesResources.Pods, _ns, "smp", KubernetesPatch.StrategicMerge(new JsonObject
        {
            ["metadata"] = new JsonObject { ["labels"] = new JsonObject { ["b"] = "2" } },
            ["spec"] = new JsonObject { ["containers"] = new JsonArray(new JsonObject { ["name"] = "d", ["image"] = "busybox:1.36" }) },
        }));
        Assert.Equal(["c", "d"], patched.Spec!.Containers.Select(c => c.Name));
        Assert.Equal("busybox:1.36", patched.Spec.Containers[1].Image);
        Assert.Equal("busybox", patched.Spec.Containers[0].Image);
        Assert.Equal("1", patched.Metadata.Labels!["a"]);

        var merged = await _client.PatchAsync(KubernetesResources.Pods, _ns, "smp", KubernetesPatch.Merge(new JsonObject
        {
            ["metadata"] = new JsonObject { ["labels"] = new JsonObject { ["a"] = null, ["c"] = "3" } },
        }));
        Assert.Equal(new Dictionary<string, string> { ["b"] = "2", ["c"] = "3" }, merged.Metadata.Labels);

        var jsonPatched = await _client.PatchAsync(KubernetesResources.Pods, _ns, "smp", KubernetesPatch.Json(
        [
            new JsonObject { ["op"] = "test", ["path"] = "/metadata/labels/b", ["value"] = "2" },
            new JsonObject { ["op"] = "add", ["path"] = "/metadata/annotations", ["value"] = new JsonObject { ["x"] = "y" } },
        ]));
        Assert.Equal("y", jsonPatched.Metadata.Annotations!["x"]);

        var failed = await Assert.ThrowsAsync<KubernetesApiException>(() => _client.PatchAsync(KubernetesResources.Pods, _ns, "smp", KubernetesPatch.Json(
        [
            new JsonObject { ["op"] = "test", ["path"] = "/metadata/labels/b", ["value"] = "not-2" },
            new JsonObject { ["op"] = "remove", ["path"] = "/metadata/annotations" },
        ])));
        Assert.NotEqual(KubernetesErrorKind.Other, failed.Kind);
        Assert.Equal("y", (await _client.GetAsync(KubernetesResources.Pods, _ns, "smp")).Metadata.Annotations!["x"]);
    }

    [Fact]
    public async Task Pod_status_subresource()
    {
        await _client.CreateAsync(KubernetesResources.Pods, NewPod("st", "node-s"));
        var patched = await _client.PatchStatusAsync(KubernetesResources.Pods, _ns, "st", KubernetesPatch.Merge(new JsonObject
        {
            ["status"] = new JsonObject { ["phase"] = "Running", ["hostIP"] = "192.0.2.1", ["podIP"] = "10.1.0.5", ["podIPs"] = new JsonArray(new JsonObject { ["ip"] = "10.1.0.5" }) },
        }));
        Assert.Equal("Running", patched.Status!.Phase);

        var status = await _client.GetStatusAsync(KubernetesResources.Pods, _ns, "st");
        Assert.Equal("10.1.0.5", status.Status!.PodIP);
        Assert.Equal("192.0.2.1", status.Status.HostIP);
        Assert.Equal("10.1.0.5", Assert.Single(status.Status.PodIPs!).IP);

        // A status replace ignores spec changes; a main-resource replace ignores status.
        status.Status.Phase = "Succeeded";
        status.Spec!.Containers[0].Image = "ignored:1";
        var afterStatusPut = await _client.ReplaceStatusAsync(KubernetesResources.Pods, status);
        Assert.Equal("Succeeded", afterStatusPut.Status!.Phase);
        Assert.Equal("busybox", afterStatusPut.Spec!.Containers[0].Image);

        afterStatusPut.Status.Phase = "Failed";
        var afterMainPut = await _client.ReplaceAsync(KubernetesResources.Pods, afterStatusPut);
        Assert.Equal("Succeeded", afterMainPut.Status!.Phase);
    }

    [Fact]
    public async Task Delete_with_a_uid_precondition_mismatch_is_a_conflict()
    {
        var cm = await _client.CreateAsync(KubernetesResources.ConfigMaps, new ConfigMap { Metadata = { Name = "pre", Namespace = _ns } });
        var e = await Assert.ThrowsAsync<KubernetesApiException>(() => _client.DeleteAsync(KubernetesResources.ConfigMaps, _ns, "pre",
            new DeleteOptions { Preconditions = new Preconditions { Uid = Guid.NewGuid().ToString() } }));
        Assert.True(e.IsConflict);
        Assert.NotNull(await _client.TryGetAsync(KubernetesResources.ConfigMaps, _ns, "pre"));

        var ok = await _client.DeleteAsync(KubernetesResources.ConfigMaps, _ns, "pre",
            new DeleteOptions { Preconditions = new Preconditions { Uid = cm.Metadata.Uid, ResourceVersion = cm.Metadata.ResourceVersion }, PropagationPolicy = "Background" });
        Assert.True(ok.Object is not null || ok.Status?.Result == "Success");
        Assert.Null(await _client.TryGetAsync(KubernetesResources.ConfigMaps, _ns, "pre"));
    }

    [Fact]
    public async Task Finalizer_flow_add_delete_remove()
    {
        const string F = "kuryr.openstack.org/pod-finalizer";
        await _client.CreateAsync(KubernetesResources.ConfigMaps, new ConfigMap { Metadata = { Name = "fin", Namespace = _ns } });
        var withF = await _client.AddFinalizerAsync(KubernetesResources.ConfigMaps, _ns, "fin", F);
        Assert.Equal([F], withF.Metadata.Finalizers!);
        var again = await _client.AddFinalizerAsync(KubernetesResources.ConfigMaps, _ns, "fin", F);
        Assert.Equal(withF.Metadata.ResourceVersion, again.Metadata.ResourceVersion); // no-op

        var deleted = await _client.DeleteAsync(KubernetesResources.ConfigMaps, _ns, "fin");
        Assert.NotNull(deleted.Object!.Metadata.DeletionTimestamp);
        var still = await _client.GetAsync(KubernetesResources.ConfigMaps, _ns, "fin");
        Assert.NotNull(still.Metadata.DeletionTimestamp);

        Assert.Null(await _client.RemoveFinalizerAsync(KubernetesResources.ConfigMaps, _ns, "fin", F));
        var e = await Assert.ThrowsAsync<KubernetesApiException>(() => _client.GetAsync(KubernetesResources.ConfigMaps, _ns, "fin"));
        Assert.True(e.IsNotFound);
        Assert.Null(await _client.RemoveFinalizerAsync(KubernetesResources.ConfigMaps, _ns, "fin", F));
    }

    [Fact]
    public async Task Concurrent_finalizer_adds_all_land()
    {
        await _client.CreateAsync(KubernetesResources.ConfigMaps, new ConfigMap { Metadata = { Name = "race", Namespace = _ns } });
        var finalizers = Enumerable.Range(0, 4).Select(i => $"kuryr.openstack.org/f{i}").ToArray();
        await Task.WhenAll(finalizers.Select(f => Task.Run(() => _client.AddFinalizerAsync(KubernetesResources.ConfigMaps, _ns, "race", f))));
        var got = await _client.GetAsync(KubernetesResources.ConfigMaps, _ns, "race");
        Assert.Equal(finalizers, got.Metadata.Finalizers!.Order());

        await Task.WhenAll(finalizers.Select(f => Task.Run(() => _client.RemoveFinalizerAsync(KubernetesResources.ConfigMaps, _ns, "race", f))));
        Assert.Null((await _client.GetAsync(KubernetesResources.ConfigMaps, _ns, "race")).Metadata.Finalizers);
    }

    [Fact]
    public async Task Watch_yields_typed_events_from_a_list_resource_version()
    {
        var list = await _client.ListAsync(KubernetesResources.ConfigMaps, _ns, new ListOptions { LabelSelector = "w=1" });
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var events = new List<WatchEvent<ConfigMap>>();
        var watching = Task.Run(async () =>
        {
            await foreach (var ev in _client.WatchAsync(KubernetesResources.ConfigMaps, _ns,
                new WatchOptions { LabelSelector = "w=1", ResourceVersion = list.Metadata.ResourceVersion, TimeoutSeconds = 30 }, cts.Token))
            {
                if (ev.IsBookmark)
                {
                    continue;
                }

                events.Add(ev);
                if (ev.Type == WatchEventTypes.Deleted)
                {
                    return;
                }
            }
        });

        var cm = await _client.CreateAsync(KubernetesResources.ConfigMaps, new ConfigMap { Metadata = { Name = "w", Namespace = _ns, Labels = new() { ["w"] = "1" } } });
        cm.Data = new() { ["k"] = "v" };
        await _client.ReplaceAsync(KubernetesResources.ConfigMaps, cm);
        await _client.DeleteAsync(KubernetesResources.ConfigMaps, _ns, "w");
        await watching;

        Assert.Equal([WatchEventTypes.Added, WatchEventTypes.Modified, WatchEventTypes.Deleted], events.Select(e => e.Type));
        Assert.Equal("v", events[1].Object!.Data!["k"]);
        Assert.All(events, e => Assert.Equal("w", e.Object!.Metadata.Name));
    }

    [Fact]
    public async Task Bug_watch_from_revision_1_was_not_too_old_on_a_fresh_api_server()
    {
        // A resource whose watch cache starts long after revision 1: a CRD's cache begins when the
        // CRD is established. (A built-in type's cache on a freshly started API server can still
        // cover revision 1, which then serves an empty watch instead of 410: regression test
        // Bug_watch_from_revision_1_was_not_too_old_on_a_fresh_api_server.)
        var installer = new Kuryr.Kubernetes.Crds.CrdInstaller(_client, Microsoft.Extensions.Options.Options.Create(new Kuryr.Kubernetes.Crds.CrdInstallerOptions()),
            TimeProvider.System, Microsoft.Extensions.Logging.Abstractions.NullLogger<Kuryr.Kubernetes.Crds.CrdInstaller>.Instance);
        await installer.EnsureInstalledAsync();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        WatchEvent<KuryrPort>? first = null;
        await foreach (var ev in _client.WatchAsync(KubernetesResources.KuryrPorts, _ns, new WatchOptions { ResourceVersion = "1", TimeoutSeconds = 10 }, cts.Token))
        {
            first = ev;
            break;
        }

        Assert.NotNull(first);
        Assert.True(first!.IsError);
        Assert.Equal(410, first.Status!.Code);
        Assert.Equal(KubernetesErrorKind.Gone, KubernetesApiException.Classify(HttpStatusCode.Gone, first.Status.Reason));
    }

    [Fact]
    public async Task Watch_is_not_cut_by_the_request_timeout()
    {
        using var client = KubernetesClientFactory.Create(KubeConfigLoader.Load(bed.KubeConfigPath), new KubernetesClientOptions { RequestTimeout = 1 });
        var count = 0;
        await foreach (var ev in client.WatchAsync(KubernetesResources.ConfigMaps, _ns, new WatchOptions { LabelSelector = "none=here", TimeoutSeconds = 3 }))
        {
            count++;
        }

        Assert.Equal(0, count); // ended by the server's timeoutSeconds, not by an exception
    }

    [Fact]
    public async Task Client_certificate_context_works()
    {
        using var client = KubernetesClientFactory.Create(KubeConfigLoader.Load(bed.KubeConfigPath, "local-test-cert"));
        var config = KubeConfigLoader.Load(bed.KubeConfigPath, "local-test-cert");
        Assert.NotNull(config.ClientCertificate);
        Assert.Null(config.Token);
        var ns = await client.GetAsync(KubernetesResources.Namespaces, null, _ns);
        Assert.Equal(_ns, ns.Metadata.Name);
    }

    [Fact]
    public async Task Anonymous_is_forbidden_and_a_bad_token_unauthorized()
    {
        var good = KubeConfigLoader.Load(bed.KubeConfigPath);
        using var anonymous = KubernetesClientFactory.Create(new KubernetesClientConfiguration { Server = good.Server, CaCertificates = good.CaCertificates });
        var e = await Assert.ThrowsAsync<KubernetesApiException>(() => anonymous.ListAsync(KubernetesResources.Namespaces, null));
        Assert.True(e.IsForbidden);

        using var bad = KubernetesClientFactory.Create(new KubernetesClientConfiguration { Server = good.Server, CaCertificates = good.CaCertificates, Token = new StaticTokenSource("wrong") });
        e = await Assert.ThrowsAsync<KubernetesApiException>(() => bad.ListAsync(KubernetesResources.Namespaces, null));
        Assert.True(e.IsUnauthorized);
    }

    [Fact]
    public async Task A_server_certificate_from_another_ca_is_refused()
    {
        using var key = System.Security.Cryptography.RSA.Create(2048);
        using var otherCa = new System.Security.Cryptography.X509Certificates.CertificateRequest("CN=other", key,
            System.Security.Cryptography.HashAlgorithmName.SHA256, System.Security.Cryptography.RSASignaturePadding.Pkcs1)
            .CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        var good = KubeConfigLoader.Load(bed.KubeConfigPath);
        using var client = KubernetesClientFactory.Create(new KubernetesClientConfiguration { Server = good.Server, CaCertificates = [otherCa], Token = good.Token });
        await Assert.ThrowsAsync<HttpRequestException>(() => client.ListAsync(KubernetesResources.Namespaces, null));
    }

    [Fact]
    public async Task A_rotated_token_file_is_reread_after_a_401()
    {
        var dir = Directory.CreateTempSubdirectory("kuryr-tok-").FullName;
        try
        {
            var path = Path.Combine(dir, "token");
            var t0 = new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);
            File.WriteAllText(path, "stale-token");
            File.SetLastWriteTimeUtc(path, t0);
            var time = new ManualTimeProvider();
            var source = new FileTokenSource(path, time);
            Assert.Equal("stale-token", source.GetToken());

            // Rotation that keeps the mtime and happens before the minute is up: only the 401 reveals it.
            File.WriteAllText(path, bed.Token);
            File.SetLastWriteTimeUtc(path, t0);
            var good = KubeConfigLoader.Load(bed.KubeConfigPath);
            using var client = KubernetesClientFactory.Create(new KubernetesClientConfiguration { Server = good.Server, CaCertificates = good.CaCertificates, Token = source }, timeProvider: time);
            var ns = await client.GetAsync(KubernetesResources.Namespaces, null, _ns);
            Assert.Equal(_ns, ns.Metadata.Name);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public async Task The_qps_limit_delays_requests_instead_of_failing_them()
    {
        var time = new ManualTimeProvider();
        using var client = (KubernetesClient)KubernetesClientFactory.Create(KubeConfigLoader.Load(bed.KubeConfigPath),
            new KubernetesClientOptions { Qps = 1, Burst = 1 }, time);
        await client.GetAsync(KubernetesResources.Namespaces, null, _ns);
        var second = client.GetAsync(KubernetesResources.Namespaces, null, _ns);
        var third = client.GetAsync(KubernetesResources.Namespaces, null, _ns);
        Assert.Equal(2, client.Limiter.QueuedCount);
        Assert.False(second.IsCompleted);

        time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(_ns, (await second).Metadata.Name);
        Assert.Equal(1, client.Limiter.QueuedCount);
        Assert.False(third.IsCompleted);

        time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(_ns, (await third).Metadata.Name);
        Assert.Equal(2, client.Limiter.DelayedCount);
    }

    [Fact]
    public async Task A_server_that_does_not_answer_times_out()
    {
        using var silent = new TcpListener(IPAddress.Loopback, 0);
        silent.Start();
        var accepted = new List<TcpClient>();
        var acceptTask = Task.Run(async () => accepted.Add(await silent.AcceptTcpClientAsync()));
        var time = new ManualTimeProvider();
        using var client = KubernetesClientFactory.Create(new KubernetesClientConfiguration { Server = new Uri($"http://127.0.0.1:{((IPEndPoint)silent.LocalEndpoint).Port}") },
            new KubernetesClientOptions { RequestTimeout = 30 }, time);
        var request = client.GetAsync(KubernetesResources.Namespaces, null, "x");
        await acceptTask; // the request is on the wire, the server stays silent
        Assert.False(request.IsCompleted);
        time.Advance(TimeSpan.FromSeconds(30));
        var e = await Assert.ThrowsAsync<TimeoutException>(() => request);
        Assert.Contains("GET /api/v1/namespaces/x", e.Message, StringComparison.Ordinal);
        accepted.ForEach(c => c.Dispose());
    }

    [Fact]
    public async Task Dependency_injection_registers_a_working_client()
    {
        var services = new ServiceCollection();
        services.AddKubernetesClient(o => o.KubeConfig = bed.KubeConfigPath);
        await using var sp = services.BuildServiceProvider();
        var client = sp.GetRequiredService<IKubernetesClient>();
        Assert.Same(client, sp.GetRequiredService<IKubernetesClient>());
        Assert.Equal(bed.Server, client.Server);
        Assert.Equal(_ns, (await client.GetAsync(KubernetesResources.Namespaces, null, _ns)).Metadata.Name);
    }
}
