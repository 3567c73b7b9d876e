using Kuryr.Config.Options;
using Kuryr.Kubernetes.Client;
using Kuryr.Testing.TestBed;
using Microsoft.Extensions.DependencyInjection;

namespace Kuryr.Testing.Agent;

/// <summary>Services for in-process agent tests: the test bed's kube-apiserver and Redis (own key prefix).</summary>
public static class AgentBed
{
    /// <summary>Logging, a Kubernetes client on the test bed (high QPS) and <c>[redis]</c> on the test bed with <paramref name="redisPrefix"/>.</summary>
    public static ServiceCollection Services(KubeTestBed kube, string redisEndpoint, string redisPrefix)
    {
        ArgumentNullException.ThrowIfNull(kube);
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddKubernetesClient(o => { o.KubeConfig = kube.KubeConfigPath; o.Qps = 1000; o.Burst = 1000; });
        services.Configure<RedisOptions>(o =>
        {
            o.Endpoints = [redisEndpoint];
            o.KeyPrefix = redisPrefix;
            o.ConnectTimeoutSeconds = 2;
        });
        return services;
    }
}
