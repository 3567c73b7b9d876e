using Kuryr.Config.Options;
using Kuryr.Controller.Handlers;
using Kuryr.Kubernetes.Client;
using Kuryr.Kubernetes.Models;
using Kuryr.Pools.Drivers.Common;
using Kuryr.Pools.State;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Kuryr.Controller.PodNetwork;

/// <summary>
/// Kuryr's <c>default</c> pod_project and pod_security_groups drivers and the <c>default</c>/<c>namespace</c>
/// pod_subnets drivers. The subnet's network comes from <see cref="ISubnetCache"/> (memoized per <c>[subnet_caching]</c>).
/// </summary>
internal sealed partial class PodNetworkResolver(
    IOptions<KubernetesOptions> kubernetes,
    IOptions<NeutronDefaultsOptions> defaults,
    ISubnetCache subnets,
    IKubernetesClient client,
    ILogger<PodNetworkResolver> logger) : IPodNetworkResolver
{
    public async Task<PodNetworkInfo> ResolveAsync(Pod pod, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(pod);
        var ns = pod.Metadata.Namespace ?? throw new ArgumentException("pod metadata.namespace is missing", nameof(pod));
        var options = defaults.Value;
        var project = options.Project?.Trim();
        if (string.IsNullOrEmpty(project))
        {
            throw new PodNetworkException("[neutron_defaults] project is not set: the default pod_project_driver needs it");
        }

        var subnetId = kubernetes.Value.PodSubnetsDriver switch
        {
            "default" => DefaultSubnet(options),
            "namespace" => await NamespaceSubnetAsync(ns, cancellationToken).ConfigureAwait(false),
            var other => throw new PodNetworkException($"[kubernetes] pod_subnets_driver \"{other}\" is not supported (default, namespace)"),
        };
        var info = await subnets.GetAsync(subnetId, cancellationToken).ConfigureAwait(false);
        var groups = new SecurityGroupSet(options.PodSecurityGroups);
        LogResolved(ns, pod.Metadata.Name ?? "", project, subnetId, info.Network.Id, groups.Key);
        return new PodNetworkInfo(project, subnetId, info.Network.Id, groups);
    }

    private static string DefaultSubnet(NeutronDefaultsOptions options)
    {
        var subnet = options.PodSubnet?.Trim();
        return string.IsNullOrEmpty(subnet)
            ? throw new PodNetworkException("[neutron_defaults] pod_subnet is not set: the default pod_subnets_driver needs it")
            : subnet;
    }

    private async Task<string> NamespaceSubnetAsync(string ns, CancellationToken cancellationToken)
    {
        var network = await client.TryGetAsync(KubernetesResources.KuryrNetworks, ns, ns, cancellationToken).ConfigureAwait(false);
        var subnet = network?.Status?.SubnetId;
        if (string.IsNullOrWhiteSpace(subnet))
        {
            LogNamespaceSubnetMissing(ns, network is null);
            throw new ResourceNotReadyException(network is null
                ? $"namespace {ns} has no KuryrNetwork yet (pod_subnets_driver = namespace)"
                : $"KuryrNetwork {ns}/{ns} has no status.subnetId yet (pod_subnets_driver = namespace)");
        }

        return subnet;
    }

    [LoggerMessage(EventId = 5220, Level = LogLevel.Debug,
        Message = "Pod {Namespace}/{Pod}: project {Project}, subnet {Subnet}, network {Network}, security groups {SecurityGroups}")]
    private partial void LogResolved(string @namespace, string pod, string project, string subnet, string network, string securityGroups);

    [LoggerMessage(EventId = 5221, Level = LogLevel.Debug, Message = "Namespace {Namespace} has no pod subnet yet (KuryrNetwork missing: {Missing})")]
    private partial void LogNamespaceSubnetMissing(string @namespace, bool missing);
}

/// <summary>The pod network cannot be resolved from the configuration; the message names the option.</summary>
public sealed class PodNetworkException : Exception
{
    public PodNetworkException() { }

    public PodNetworkException(string message) : base(message) { }

    public PodNetworkException(string message, Exception innerException) : base(message, innerException) { }
}
