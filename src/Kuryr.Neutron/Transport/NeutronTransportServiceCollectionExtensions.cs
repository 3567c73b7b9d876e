using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Kuryr.Config.Options;
using Kuryr.Neutron.Auth;
using Kuryr.Neutron.Diagnostics;
using Kuryr.Neutron.Transport;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the Neutron transport (HTTP, Keystone auth, retries, rate limit, bulk cap, metrics).</summary>
public static class NeutronTransportServiceCollectionExtensions
{
    /// <summary>
    /// Adds the Neutron transport. The caller registers <c>IOptions&lt;NeutronOptions&gt;</c>
    /// (e.g. <c>services.Configure&lt;NeutronOptions&gt;(...)</c>); a <see cref="TimeProvider"/>
    /// already registered is used, otherwise <see cref="TimeProvider.System"/>.
    /// </summary>
    public static IServiceCollection AddNeutronTransport(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddOptions();
        services.AddLogging();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<NeutronOptions>, NeutronOptionsValidator>());

        services.AddHttpClient(NeutronTransport.HttpClientName, ConfigureClient)
            .ConfigurePrimaryHttpMessageHandler(sp => CreateHandler(sp.GetRequiredService<IOptions<NeutronOptions>>().Value));
        services.AddHttpClient(KeystoneAuthenticator.HttpClientName, ConfigureClient)
            .ConfigurePrimaryHttpMessageHandler(sp => CreateHandler(sp.GetRequiredService<IOptions<NeutronOptions>>().Value));

        services.TryAddSingleton<NeutronMetrics>();
        services.TryAddSingleton<NeutronThrottle>();
        services.TryAddSingleton<INeutronAuthenticator>(CreateAuthenticator);
        services.TryAddSingleton<INeutronTransport, NeutronTransport>();
        return services;
    }

    private static void ConfigureClient(HttpClient client) =>
        // The transport applies [neutron] timeout itself (with the injected TimeProvider).
        client.Timeout = Timeout.InfiniteTimeSpan;

    private static INeutronAuthenticator CreateAuthenticator(IServiceProvider sp)
    {
        var options = sp.GetRequiredService<IOptions<NeutronOptions>>().Value;
        return NeutronAuthKinds.Parse(options.AuthType) switch
        {
            NeutronAuthKind.NoAuth => new NoAuthAuthenticator(options),
            NeutronAuthKind.Password or NeutronAuthKind.ApplicationCredential => ActivatorUtilities.CreateInstance<KeystoneAuthenticator>(sp),
            _ => throw new OptionsValidationException(nameof(NeutronOptions), typeof(NeutronOptions),
                [$"[neutron] auth_type '{options.AuthType}' is not supported"]),
        };
    }

    private static SocketsHttpHandler CreateHandler(NeutronOptions options)
    {
        var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseCookies = false,
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            // Close idle connections before the servers do (uwsgi, eventlet), so a POST is not
            // sent on a connection the server is closing (a POST is never retried).
            PooledConnectionIdleTimeout = TimeSpan.FromSeconds(15),
            ConnectTimeout = TimeSpan.FromSeconds(Math.Min(30, Math.Max(1, options.Timeout))),
        };
        if (options.Insecure)
        {
#pragma warning disable CA5359 // [neutron] insecure = true is the operator's explicit choice (keystoneauth's meaning).
            handler.SslOptions.RemoteCertificateValidationCallback = static (_, _, _, _) => true;
#pragma warning restore CA5359
        }
        else if (!string.IsNullOrWhiteSpace(options.CaFile))
        {
            var trusted = new X509Certificate2Collection();
            trusted.ImportFromPemFile(options.CaFile);
            handler.SslOptions.RemoteCertificateValidationCallback = (_, certificate, _, errors) =>
            {
                if (errors == SslPolicyErrors.None)
                {
                    return true;
                }

                if (certificate is null || (errors & ~SslPolicyErrors.RemoteCertificateChainErrors) != 0)
                {
                    return false;
                }

                using var chain = new X509Chain();
                chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
                chain.ChainPolicy.CustomTrustStore.AddRange(trusted);
                chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
                return chain.Build(new X509Certificate2(certificate));
            };
        }

        return handler;
    }
}
