using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Kuryr.Kubernetes.Config;

namespace Kuryr.Kubernetes.Client;

/// <summary>The HTTP handler for one configuration: client certificate, CA trust, or no verification.</summary>
internal static class KubernetesHttpHandler
{
    public static SocketsHttpHandler Create(KubernetesClientConfiguration config)
    {
        var handler = new SocketsHttpHandler
        {
            PooledConnectionLifetime = TimeSpan.FromMinutes(10),
            ConnectTimeout = TimeSpan.FromSeconds(15),
            UseCookies = false,
            AllowAutoRedirect = false,
        };
        if (config.ClientCertificate is not null)
        {
            handler.SslOptions.ClientCertificates = [config.ClientCertificate];
            handler.SslOptions.LocalCertificateSelectionCallback = (_, _, _, _, _) => config.ClientCertificate;
        }

        if (config.InsecureSkipTlsVerify)
        {
#pragma warning disable CA5359 // kubeconfig insecure-skip-tls-verify / ssl_verify_server_crt=False ask for exactly this.
            handler.SslOptions.RemoteCertificateValidationCallback = static (_, _, _, _) => true;
#pragma warning restore CA5359
        }
        else if (config.CaCertificates is { Count: > 0 } ca)
        {
            handler.SslOptions.RemoteCertificateValidationCallback = (_, cert, _, errors) => Validate(ca, cert, errors);
        }

        return handler;
    }

    /// <summary>Accepts a server certificate that chains to one of <paramref name="ca"/> and matches the host name.</summary>
    internal static bool Validate(X509Certificate2Collection ca, X509Certificate? certificate, SslPolicyErrors errors)
    {
        if (errors == SslPolicyErrors.None)
        {
            return true;
        }

        if (certificate is null || (errors & (SslPolicyErrors.RemoteCertificateNameMismatch | SslPolicyErrors.RemoteCertificateNotAvailable)) != 0)
        {
            return false;
        }

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(ca);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        using var cert = new X509Certificate2(certificate);
        return chain.Build(cert);
    }
}
