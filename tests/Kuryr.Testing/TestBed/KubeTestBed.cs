using System.Globalization;
using System.Net.Http.Headers;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Kuryr.Kubernetes.Client;
using Kuryr.Kubernetes.Crds;
using Microsoft.Extensions.DependencyInjection;

namespace Kuryr.Testing.TestBed;

/// <summary>
/// xunit fixture: the real kube-apiserver v1.20.2 + etcd of the test bed (testbed/up.sh kube).
/// Exposes the kubeconfig (context <c>local-test</c> = bearer token, default; <c>local-test-cert</c> =
/// x509), the server URL, the token and the CA. No controller-manager runs: deleted namespaces stay
/// Terminating, so every test class takes fresh namespaces from <see cref="CreateNamespaceAsync"/>.
/// </summary>
public sealed class KubeTestBed : IAsyncLifetime
{
    private static int _counter;
    private IReadOnlyDictionary<string, string> _env = new Dictionary<string, string>();

    /// <summary>Path of the test bed's kubeconfig.</summary>
    public string KubeConfigPath => _env["KUBECONFIG"];

    /// <summary>e.g. <c>https://127.0.0.1:16443</c>.</summary>
    public Uri Server => new(_env["K8S_SERVER"]);

    /// <summary>The admin bearer token (group system:masters).</summary>
    public string Token => _env["K8S_TOKEN"];

    /// <summary>The cluster CA (PEM file).</summary>
    public string CaPath => _env["K8S_CA"];

    public IReadOnlyDictionary<string, string> Env => _env;

    public async Task InitializeAsync()
    {
        _env = await TestBedEnvironment.EnsureAsync("kube").ConfigureAwait(false);
        await KuryrCrdsInstalled(_env["KUBECONFIG"]).ConfigureAwait(false);
    }

    private static readonly Lock CrdGate = new();
    private static Task? _crdsInstalled;

    /// <summary>
    /// Kuryr's CRDs (KuryrPort, KuryrNetwork, NAD), installed once per test process: a test that creates
    /// KuryrPorts must not depend on another test assembly having installed them first (a fresh API
    /// server has none).
    /// </summary>
    private static Task KuryrCrdsInstalled(string kubeConfig)
    {
        lock (CrdGate)
        {
            return _crdsInstalled is { IsFaulted: false } ? _crdsInstalled : _crdsInstalled = InstallAsync(kubeConfig);
        }

        static async Task InstallAsync(string kubeConfig)
        {
            var services = new ServiceCollection();
            services.AddLogging();
            services.AddKubernetesClient(o => o.KubeConfig = kubeConfig);
            services.AddKuryrCrdInstaller();
            await using var sp = services.BuildServiceProvider();
            await sp.GetRequiredService<ICrdInstaller>().EnsureInstalledAsync().ConfigureAwait(false);
        }
    }

    public Task DisposeAsync() => Task.CompletedTask;

    /// <summary>A unique name: <paramref name="prefix"/>-{time}-{counter}, lower case, at most 63 characters.</summary>
    public static string UniqueName(string prefix)
    {
        var suffix = string.Create(CultureInfo.InvariantCulture,
            $"{DateTime.UtcNow:HHmmss}{Environment.ProcessId % 1000:000}-{Interlocked.Increment(ref _counter)}");
        var p = prefix.ToLowerInvariant();
        if (p.Length + suffix.Length + 1 > 63)
        {
            p = p[..(62 - suffix.Length)];
        }

        return p + "-" + suffix;
    }

    /// <summary>
    /// Creates a fresh namespace through the API (plain HTTP, independent of the client under test)
    /// and returns its name. Namespaces are never reused: deleting one leaves it Terminating here.
    /// </summary>
    public async Task<string> CreateNamespaceAsync(string prefix)
    {
        var name = UniqueName(prefix);
        using var http = CreateHttpClient();
        using var content = new StringContent("{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":\"" + name + "\"}}", Encoding.UTF8, "application/json");
        using var response = await http.PostAsync(new Uri(Server, "/api/v1/namespaces"), content).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"cannot create namespace {name}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync().ConfigureAwait(false)}");
        }

        return name;
    }

    /// <summary>An HttpClient trusting the test bed's CA and sending the admin token (for checks outside the client under test).</summary>
    public HttpClient CreateHttpClient()
    {
        var ca = new X509Certificate2Collection();
        ca.ImportFromPemFile(CaPath);
        var handler = new HttpClientHandler
        {
            ServerCertificateCustomValidationCallback = (_, cert, _, _) =>
            {
                if (cert is null)
                {
                    return false;
                }

                using var chain = new X509Chain();
                chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
                chain.ChainPolicy.CustomTrustStore.AddRange(ca);
                chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
                return chain.Build(cert);
            },
        };
        var http = new HttpClient(handler, disposeHandler: true);
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Token);
        return http;
    }
}
