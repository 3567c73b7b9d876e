using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Kuryr.Kubernetes.Config;

/// <summary>
/// The pod's service account: <c>KUBERNETES_SERVICE_HOST</c>/<c>_PORT</c>, the token (re-read when
/// it rotates, see <see cref="FileTokenSource"/>), <c>ca.crt</c> and <c>namespace</c>.
/// </summary>
public static class InClusterConfig
{
    public const string DefaultDirectory = "/var/run/secrets/kubernetes.io/serviceaccount";

    /// <summary>True when the service host variable is set and the token file exists.</summary>
    public static bool IsAvailable(string directory = DefaultDirectory) =>
        !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("KUBERNETES_SERVICE_HOST"))
        && File.Exists(Path.Combine(directory, "token"));

    public static KubernetesClientConfiguration Load(string directory = DefaultDirectory, TimeProvider? timeProvider = null) =>
        Load(Environment.GetEnvironmentVariable("KUBERNETES_SERVICE_HOST"), Environment.GetEnvironmentVariable("KUBERNETES_SERVICE_PORT"), directory, timeProvider);

    /// <summary>Builds the configuration from explicit host/port values (the environment's, normally).</summary>
    public static KubernetesClientConfiguration Load(string? host, string? port, string directory, TimeProvider? timeProvider = null)
    {
        const string Source = "in-cluster config";
        if (string.IsNullOrEmpty(host))
        {
            throw new KubeConfigException(Source, "KUBERNETES_SERVICE_HOST", "not set (not running in a pod?)");
        }

        if (string.IsNullOrEmpty(port) || !ushort.TryParse(port, out _))
        {
            throw new KubeConfigException(Source, "KUBERNETES_SERVICE_PORT", $"'{port}' is not a port number");
        }

        var tokenPath = Path.Combine(directory, "token");
        if (!File.Exists(tokenPath))
        {
            throw new KubeConfigException(Source, tokenPath, "does not exist");
        }

        var caPath = Path.Combine(directory, "ca.crt");
        X509Certificate2Collection? ca = null;
        if (File.Exists(caPath))
        {
            ca = [];
            try
            {
                ca.ImportFromPemFile(caPath);
            }
            catch (CryptographicException e)
            {
                throw new KubeConfigException(Source, caPath, "not a PEM certificate: " + e.Message, e);
            }

            if (ca.Count == 0)
            {
                throw new KubeConfigException(Source, caPath, "no PEM certificate found");
            }
        }

        var nsPath = Path.Combine(directory, "namespace");
        var ns = File.Exists(nsPath) ? File.ReadAllText(nsPath).Trim() : null;
        var hostPart = host.Contains(':', StringComparison.Ordinal) ? "[" + host + "]" : host;
        return new KubernetesClientConfiguration
        {
            Server = new Uri($"https://{hostPart}:{port}"),
            Namespace = string.IsNullOrEmpty(ns) ? null : ns,
            CaCertificates = ca,
            Token = new FileTokenSource(tokenPath, timeProvider),
            Description = Source,
        };
    }
}
