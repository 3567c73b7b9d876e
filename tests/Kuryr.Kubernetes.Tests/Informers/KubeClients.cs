using Kuryr.Kubernetes.Client;
using Kuryr.Kubernetes.Config;
using Kuryr.Testing.TestBed;

namespace Kuryr.Kubernetes.Tests.Informers;

/// <summary>Clients of the test bed's real API server (optionally through a <see cref="TcpCutProxy"/>).</summary>
public static class KubeClients
{
    public static IKubernetesClient Create(KubeTestBed bed, TcpCutProxy? proxy = null, TimeProvider? time = null)
    {
        var config = KubeConfigLoader.Load(bed.KubeConfigPath);
        if (proxy is not null)
        {
            config = new KubernetesClientConfiguration
            {
                Server = proxy.Rewrite(config.Server),
                Namespace = config.Namespace,
                CaCertificates = config.CaCertificates,
                ClientCertificate = config.ClientCertificate,
                Token = config.Token,
                InsecureSkipTlsVerify = config.InsecureSkipTlsVerify,
                Description = config.Description + " via proxy",
            };
        }

        return KubernetesClientFactory.Create(config, new KubernetesClientOptions { Qps = 1000, Burst = 1000, RequestTimeout = 10 }, time);
    }
}
