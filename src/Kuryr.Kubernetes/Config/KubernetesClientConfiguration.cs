using System.Security.Cryptography.X509Certificates;

namespace Kuryr.Kubernetes.Config;

/// <summary>
/// Everything needed to reach one API server: the result of <see cref="KubeConfigLoader"/>,
/// <see cref="InClusterConfig"/> or Kuryr's <c>[kubernetes]</c> options.
/// </summary>
public sealed class KubernetesClientConfiguration
{
    /// <summary>Base address, e.g. <c>https://127.0.0.1:16443</c>.</summary>
    public required Uri Server { get; init; }

    /// <summary>The context's default namespace (in-cluster: the pod's own), or null.</summary>
    public string? Namespace { get; init; }

    /// <summary>Trusted CA certificates for the server; null uses the system store.</summary>
    public X509Certificate2Collection? CaCertificates { get; init; }

    /// <summary>Client certificate with its private key (x509 authentication), or null.</summary>
    public X509Certificate2? ClientCertificate { get; init; }

    /// <summary>Bearer token source, or null.</summary>
    public ITokenSource? Token { get; init; }

    /// <summary>Accept any server certificate (kubeconfig <c>insecure-skip-tls-verify</c>).</summary>
    public bool InsecureSkipTlsVerify { get; init; }

    /// <summary>Where this came from, for messages (e.g. <c>kubeconfig /x context local-test</c>).</summary>
    public string Description { get; init; } = "";
}
