using Kuryr.Agent.Binding;
using Kuryr.Agent.Cni;
using Kuryr.Agent.Health;
using Kuryr.Agent.Metrics;
using Kuryr.Agent.NodeLabel;
using Kuryr.Agent.Vifs;
using Kuryr.Assignments;
using Kuryr.Config;
using Kuryr.Config.Options;
using Kuryr.Kubernetes.Client;
using Kuryr.Kubernetes.Config;
using Kuryr.Ovs.Ovsdb;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Kuryr.Agent.Hosting;

/// <summary>The kuryr-agent composition root.</summary>
public static class AgentServiceCollectionExtensions
{
    /// <summary>As <see cref="AddKuryrAgent(IServiceCollection, IConfiguration, string?)"/>, reading <paramref name="configPath"/> (and <c>KURYR_*</c> variables).</summary>
    public static IServiceCollection AddKuryrAgent(this IServiceCollection services, string configPath)
    {
        ArgumentException.ThrowIfNullOrEmpty(configPath);
        return services.AddKuryrAgent(KuryrConfig.BuildConfiguration([configPath]));
    }

    /// <summary>
    /// Everything kuryr-agent runs: kuryr.conf (validated now, <see cref="KuryrComponent.Agent"/>),
    /// the Kubernetes client (from <c>[kubernetes]</c>), the node name (<see cref="AgentNode"/>;
    /// <paramref name="nodeName"/> overrides the environment), the Redis assignment reader, the VIF
    /// registry, the node labeler, the CNI server, health and metrics servers and <see cref="AgentService"/>.
    /// The binding (<c>IVifPlugger</c>) is <c>AddKuryrBinding</c> on <c>[cni_daemon] ovsdb_connection</c>.
    /// </summary>
    public static IServiceCollection AddKuryrAgent(this IServiceCollection services, IConfiguration configuration, string? nodeName = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        KuryrConfig.FromConfiguration(configuration, logger: null, KuryrComponent.Agent);
        services.AddKuryrConfig(configuration, KuryrComponent.Agent);
        services.TryAddSingleton(TimeProvider.System);
        var node = new AgentNode
        {
            Name = nodeName ?? AgentNode.ResolveName(Environment.GetEnvironmentVariable, Environment.MachineName),
            Address = AgentNode.ResolveAddress(Environment.GetEnvironmentVariable),
        };
        services.TryAddSingleton(node);
        services.AddKuryrKubernetesClient();
        services.AddKuryrNodeVifAssignments();
        services.AddKuryrVifRegistry();
        services.TryAddSingleton<INodeLabeler, NodeLabeler>();
        services.AddKuryrAgentMetrics();
        services.AddKuryrBinding(o => o.NodeAddress ??= node.Address);
        services.AddOptions<OvsdbOptions>().Configure<IOptions<CniDaemonOptions>>((o, d) => o.Connection = d.Value.OvsdbConnection);
        services.AddKuryrCniServer();
        services.AddKuryrAgentHealth();
        services.AddHostedService<AgentService>();
        return services;
    }
}
