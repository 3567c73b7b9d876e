using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Kuryr.Kubernetes.Config;

/// <summary>Turns <see cref="KubernetesClientOptions"/> into a <see cref="KubernetesClientConfiguration"/>.</summary>
public static class KubernetesConfigResolver
{
    public static KubernetesClientConfiguration Resolve(KubernetesClientOptions options, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!string.IsNullOrEmpty(options.KubeConfig))
        {
            return KubeConfigLoader.Load(options.KubeConfig, string.IsNullOrEmpty(options.KubeConfigContext) ? null : options.KubeConfigContext, timeProvider);
        }

        if (options.ApiRoot == KubernetesClientOptions.DefaultApiRoot && InClusterConfig.IsAvailable())
        {
            return InClusterConfig.Load(timeProvider: timeProvider);
        }

        const string Source = "[kubernetes]";
        if (!Uri.TryCreate(options.ApiRoot, UriKind.Absolute, out var server) || (server.Scheme != Uri.UriSchemeHttp && server.Scheme != Uri.UriSchemeHttps))
        {
            throw new KubeConfigException(Source, "api_root", $"'{options.ApiRoot}' is not an absolute http(s) URL");
        }

        X509Certificate2Collection? ca = null;
        if (!string.IsNullOrEmpty(options.SslCaCrtFile))
        {
            ca = [];
            try
            {
                ca.ImportFromPemFile(options.SslCaCrtFile);
            }
            catch (Exception e) when (e is CryptographicException or IOException or UnauthorizedAccessException)
            {
                throw new KubeConfigException(Source, "ssl_ca_crt_file", $"cannot load {options.SslCaCrtFile}: {e.Message}", e);
            }
        }

        X509Certificate2? cert = null;
        if (!string.IsNullOrEmpty(options.SslClientCrtFile) || !string.IsNullOrEmpty(options.SslClientKeyFile))
        {
            if (string.IsNullOrEmpty(options.SslClientCrtFile) || string.IsNullOrEmpty(options.SslClientKeyFile))
            {
                throw new KubeConfigException(Source, string.IsNullOrEmpty(options.SslClientCrtFile) ? "ssl_client_crt_file" : "ssl_client_key_file",
                    "must be set together with its pair");
            }

            try
            {
                cert = X509Certificate2.CreateFromPemFile(options.SslClientCrtFile, options.SslClientKeyFile);
            }
            catch (Exception e) when (e is CryptographicException or IOException or UnauthorizedAccessException or ArgumentException)
            {
                throw new KubeConfigException(Source, "ssl_client_key_file", $"cannot load the client certificate and key: {e.Message}", e);
            }
        }

        return new KubernetesClientConfiguration
        {
            Server = server,
            CaCertificates = ca,
            ClientCertificate = cert,
            Token = string.IsNullOrEmpty(options.TokenFile) ? null : new FileTokenSource(options.TokenFile, timeProvider),
            InsecureSkipTlsVerify = !options.SslVerifyServerCrt,
            Description = Source + " api_root " + options.ApiRoot,
        };
    }
}
