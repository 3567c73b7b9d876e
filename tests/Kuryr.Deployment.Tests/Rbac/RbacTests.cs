using System.Text.RegularExpressions;
using Kuryr.Deployment.Tests.Manifests;
using Kuryr.Deployment.Tests.Support;
using Kuryr.Testing.TestBed;

namespace Kuryr.Deployment.Tests.Rbac;

/// <summary>
/// The RBAC of daemonset/rbac.yaml and controller/rbac.yaml, really applied (under unique names, bound
/// to a service account in a fresh namespace) and checked with SubjectAccessReviews: every call the
/// components make is allowed, and a set of calls they do not make is denied (least privilege).
/// </summary>
public sealed partial class RbacTests(KubeTestBed bed) : IClassFixture<KubeTestBed>
{
    /// <summary>One API call: verb, group, resource, whether it is namespaced, a name when the rule is by name.</summary>
    public sealed record ApiCall(string Verb, string Group, string Resource, bool Namespaced, string? Name = null, string Why = "")
    {
        public override string ToString() => $"{Verb} {(Group.Length == 0 ? "core" : Group)}/{Resource}{(Name is null ? "" : "/" + Name)}";
    }

    /// <summary>Every call of src/Kuryr.Agent (see daemonset/rbac.yaml).</summary>
    public static readonly ApiCall[] AgentCalls =
    [
        new("list", "openstack.org", "kuryrports", false, Why: "Vifs/VifRegistry informer (all namespaces, label selector)"),
        new("watch", "openstack.org", "kuryrports", false, Why: "Vifs/VifRegistry informer"),
        new("get", "", "nodes", false, Why: "NodeLabel/NodeLabeler, Health/AgentHealthChecks, Cni/NodePoolStatus"),
        new("patch", "", "nodes", false, Why: "NodeLabel/NodeLabeler pod_vif label"),
    ];

    /// <summary>Calls the agent must not be able to make.</summary>
    public static readonly ApiCall[] AgentDenied =
    [
        new("get", "", "secrets", true), new("list", "", "pods", false), new("update", "", "nodes", false),
        new("delete", "", "nodes", false), new("patch", "openstack.org", "kuryrports", true), new("create", "", "events", true),
        new("list", "", "nodes", false),
    ];

    /// <summary>Every call of src/Kuryr.Controller, src/Kuryr.Pools and the src/Kuryr.Kubernetes parts it uses (see controller/rbac.yaml).</summary>
    public static readonly ApiCall[] ControllerCalls =
    [
        new("get", "", "pods", true), new("list", "", "pods", false), new("watch", "", "pods", false), new("patch", "", "pods", true),
        new("get", "", "namespaces", false), new("list", "", "namespaces", false), new("watch", "", "namespaces", false),
        new("get", "", "nodes", false), new("list", "", "nodes", false),
        new("create", "", "events", true),
        new("get", "openstack.org", "kuryrports", true), new("list", "openstack.org", "kuryrports", false),
        new("watch", "openstack.org", "kuryrports", false), new("create", "openstack.org", "kuryrports", true),
        new("patch", "openstack.org", "kuryrports", true), new("delete", "openstack.org", "kuryrports", true),
        new("get", "openstack.org", "kuryrnetworks", true), new("list", "openstack.org", "kuryrnetworks", false),
        new("watch", "openstack.org", "kuryrnetworks", false), new("create", "openstack.org", "kuryrnetworks", true),
        new("patch", "openstack.org", "kuryrnetworks", true), new("delete", "openstack.org", "kuryrnetworks", true),
        new("get", "k8s.cni.cncf.io", "network-attachment-definitions", true),
        new("get", "apiextensions.k8s.io", "customresourcedefinitions", false, "kuryrports.openstack.org"),
        new("get", "apiextensions.k8s.io", "customresourcedefinitions", false, "kuryrnetworks.openstack.org"),
        new("get", "apiextensions.k8s.io", "customresourcedefinitions", false, "network-attachment-definitions.k8s.cni.cncf.io"),
    ];

    /// <summary>Leader election, in the controller's own namespace only.</summary>
    public static readonly ApiCall[] ControllerLeaseCalls =
    [
        new("create", "coordination.k8s.io", "leases", true), new("get", "coordination.k8s.io", "leases", true, "kuryr-controller"),
        new("update", "coordination.k8s.io", "leases", true, "kuryr-controller"),
    ];

    public static readonly ApiCall[] ControllerDenied =
    [
        new("get", "", "secrets", true), new("update", "", "pods", true), new("delete", "", "pods", true),
        new("patch", "", "pods", true, Why: "status"), new("patch", "", "nodes", false), new("create", "", "pods", true),
        new("update", "apiextensions.k8s.io", "customresourcedefinitions", false, "kuryrports.openstack.org"),
        new("create", "apiextensions.k8s.io", "customresourcedefinitions", false), new("get", "apiextensions.k8s.io", "customresourcedefinitions", false, "foos.example.com"),
        new("update", "coordination.k8s.io", "leases", true, "another-lease"), new("delete", "coordination.k8s.io", "leases", true, "kuryr-controller"),
        new("get", "", "configmaps", true),
    ];

    [Fact]
    public async Task The_agent_service_account_may_make_every_call_of_the_agent_and_nothing_else_listed()
    {
        await using var applied = await ApplyAsync("daemonset/rbac.yaml", "kuryr-agent");
        await AssertAsync(applied, AgentCalls, AgentDenied, leaseCalls: []);
    }

    [Fact]
    public async Task The_controller_service_account_may_make_every_call_of_the_controller_and_nothing_else_listed()
    {
        await using var applied = await ApplyAsync("controller/rbac.yaml", "kuryr-controller");
        await AssertAsync(applied, ControllerCalls, ControllerDenied, ControllerLeaseCalls);

        // The Lease rules hold only in the controller's namespace.
        var other = await bed.CreateNamespaceAsync("deploy-rbac-other");
        var (allowed, _) = await applied.Api.CanAsync(applied.Namespace, applied.ServiceAccount, "create", "coordination.k8s.io", "leases", other);
        Assert.False(allowed, "leases create is granted outside the controller's namespace");
    }

    /// <summary>
    /// The tables above cover every resource the code names: a KubernetesResources.X used by a
    /// component's sources (or one of the libraries it runs) is in that component's table. A new API
    /// call on a new resource fails here until the RBAC and the table are extended.
    /// </summary>
    [Theory]
    [InlineData("agent", "src/Kuryr.Agent")]
    [InlineData("controller", "src/Kuryr.Controller,src/Kuryr.Pools,src/Kuryr.Kubernetes/LeaderElection,src/Kuryr.Kubernetes/Events,src/Kuryr.Kubernetes/Crds")]
    public void Every_resource_the_sources_use_is_in_the_rbac_table(string component, string folders)
    {
        var map = new Dictionary<string, string>
        {
            ["Pods"] = "pods",
            ["Nodes"] = "nodes",
            ["Namespaces"] = "namespaces",
            ["ConfigMaps"] = "configmaps",
            ["Events"] = "events",
            ["Leases"] = "leases",
            ["KuryrPorts"] = "kuryrports",
            ["KuryrNetworks"] = "kuryrnetworks",
            ["NetworkAttachmentDefinitions"] = "network-attachment-definitions",
            ["CustomResourceDefinitions"] = "customresourcedefinitions",
        };
        var table = (component == "agent" ? AgentCalls : [.. ControllerCalls, .. ControllerLeaseCalls]).Select(c => c.Resource).ToHashSet();
        var used = folders.Split(',')
            .SelectMany(f => Directory.EnumerateFiles(Repo.PathOf(f), "*.cs", SearchOption.AllDirectories))
            .Where(f => !f.Contains("/obj/", StringComparison.Ordinal) && !f.Contains("/bin/", StringComparison.Ordinal))
            .SelectMany(f => ResourceUse().Matches(File.ReadAllText(f)).Select(m => (File: Path.GetRelativePath(Repo.Root, f), Name: m.Groups[1].Value)))
            .ToArray();
        Assert.NotEmpty(used);
        var missing = used.Where(u => !map.TryGetValue(u.Name, out var r) || !table.Contains(r)).Select(u => $"{u.File}: KubernetesResources.{u.Name}").Distinct().ToArray();
        Assert.True(missing.Length == 0, $"{component}: resources used but not in the RBAC table:\n" + string.Join("\n", missing));
    }

    [GeneratedRegex(@"KubernetesResources\.(\w+)")]
    private static partial Regex ResourceUse();

    private static async Task AssertAsync(Applied applied, ApiCall[] calls, ApiCall[] denied, ApiCall[] leaseCalls)
    {
        var problems = new List<string>();
        var podNs = "some-app-namespace";
        foreach (var c in calls)
        {
            var (ok, reason) = await applied.Api.CanAsync(applied.Namespace, applied.ServiceAccount, c.Verb, c.Group, c.Resource, c.Namespaced ? podNs : null, c.Name);
            if (!ok)
            {
                problems.Add($"denied but needed: {c} ({c.Why}) {reason}");
            }
        }

        foreach (var c in leaseCalls)
        {
            var (ok, reason) = await applied.Api.CanAsync(applied.Namespace, applied.ServiceAccount, c.Verb, c.Group, c.Resource, applied.Namespace, c.Name);
            if (!ok)
            {
                problems.Add($"denied but needed: {c} in {applied.Namespace} {reason}");
            }
        }

        foreach (var c in denied)
        {
            var subresource = c.Why == "status" ? "status" : null;
            var (ok, reason) = await applied.Api.CanAsync(applied.Namespace, applied.ServiceAccount, c.Verb, c.Group, c.Resource, c.Namespaced ? podNs : null, c.Name, subresource);
            if (ok)
            {
                problems.Add($"allowed but never needed: {c}{(subresource is null ? "" : "/" + subresource)} ({reason})");
            }
        }

        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    /// <summary>The RBAC objects of one file, created for real with unique names; deleted on dispose.</summary>
    private async Task<Applied> ApplyAsync(string file, string serviceAccount)
    {
        var api = new KubeApi(bed);
        var ns = await bed.CreateNamespaceAsync("deploy-rbac");
        var suffix = "-" + ns;
        var created = new List<string>();
        try
        {
            foreach (var o in YamlManifests.Load(file))
            {
                var json = ManifestDryRunTests.Retarget(o.Json, ns);
                if (o.Kind is "ClusterRole" or "ClusterRoleBinding")
                {
                    json["metadata"]!["name"] = o.Name + suffix;
                }

                if (o.Kind == "ClusterRoleBinding")
                {
                    json["roleRef"]!["name"] = json["roleRef"]!["name"]!.GetValue<string>() + suffix;
                }

                created.Add(await api.CreateAsync(json, ns));
            }

            Assert.Contains(created, p => p.EndsWith("/serviceaccounts/" + serviceAccount, StringComparison.Ordinal));
            return new Applied(api, ns, serviceAccount, created);
        }
        catch
        {
            await new Applied(api, ns, serviceAccount, created).DisposeAsync();
            throw;
        }
    }

    private sealed record Applied(KubeApi Api, string Namespace, string ServiceAccount, List<string> Created) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            foreach (var path in Created.Where(p => p.Contains("/clusterrole", StringComparison.Ordinal)))
            {
                await Api.DeleteAsync(path);
            }

            Api.Dispose();
        }
    }
}
