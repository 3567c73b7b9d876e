using Microsoft.Extensions.Configuration;

namespace Kuryr.Kubernetes.Config;

/// <summary>
/// <c>[kubernetes]</c>: Kuryr's options for reaching the API server (same names and defaults),
/// plus Kuryr.Node's own: a kubeconfig, the client-side rate limit and the request timeout.
/// Which server is used: <see cref="KubeConfig"/> when set; otherwise the pod's service account
/// when running in a pod and <see cref="ApiRoot"/> was left at its default; otherwise
/// <see cref="ApiRoot"/> with the <c>ssl_*</c> and <see cref="TokenFile"/> options (Kuryr's way).
/// Bound from the <c>[kubernetes]</c> section of kuryr.conf (this project does not depend on
/// Kuryr.Config, which owns the section's other options).
/// </summary>
public sealed class KubernetesClientOptions
{
    /// <summary>Kuryr's default (<c>kuryr_kubernetes/config.py</c>), the same as Kuryr.Config's <c>KubernetesOptions</c>.</summary>
    public const string DefaultApiRoot = "https://localhost:6443";

    [ConfigurationKeyName("api_root")] public string ApiRoot { get; set; } = DefaultApiRoot;
    [ConfigurationKeyName("ssl_client_crt_file")] public string? SslClientCrtFile { get; set; }
    [ConfigurationKeyName("ssl_client_key_file")] public string? SslClientKeyFile { get; set; }
    [ConfigurationKeyName("ssl_ca_crt_file")] public string? SslCaCrtFile { get; set; }
    /// <summary>Kuryr's default is False (no verification of the server certificate).</summary>
    [ConfigurationKeyName("ssl_verify_server_crt")] public bool SslVerifyServerCrt { get; set; }
    /// <summary>Bearer token file, re-read when it rotates.</summary>
    [ConfigurationKeyName("token_file")] public string? TokenFile { get; set; }

    // Kuryr.Node extensions.
    /// <summary>A kubeconfig file; wins over everything else when set.</summary>
    [ConfigurationKeyName("kubeconfig")] public string? KubeConfig { get; set; }
    /// <summary>The kubeconfig context; empty uses its <c>current-context</c>.</summary>
    [ConfigurationKeyName("kubeconfig_context")] public string? KubeConfigContext { get; set; }
    /// <summary>Client-side request rate (token bucket), requests per second; 0 disables the limit.</summary>
    [ConfigurationKeyName("qps")] public double Qps { get; set; } = 20;
    /// <summary>Token-bucket burst.</summary>
    [ConfigurationKeyName("burst")] public int Burst { get; set; } = 30;
    /// <summary>Per-request timeout in seconds (watches excluded: they end with their timeoutSeconds).</summary>
    [ConfigurationKeyName("request_timeout")] public double RequestTimeout { get; set; } = 30;
    /// <summary>Attempts of a finalizer add/remove that meets 409 Conflict (Kuryr: 3).</summary>
    [ConfigurationKeyName("finalizer_max_attempts")] public int FinalizerMaxAttempts { get; set; } = 5;
}
