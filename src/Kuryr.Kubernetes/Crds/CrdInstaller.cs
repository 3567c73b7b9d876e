using System.Text.Json;
using System.Text.Json.Nodes;
using Kuryr.Kubernetes.Client;
using Kuryr.Kubernetes.Models;
using Kuryr.Kubernetes.Serialization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Kuryr.Kubernetes.Crds;

internal sealed partial class CrdInstaller(IKubernetesClient client, IOptions<CrdInstallerOptions> options, TimeProvider time, ILogger<CrdInstaller> logger) : ICrdInstaller
{
    private const int MaxConflictRetries = 5;
    private static readonly ResourceType<CustomResourceDefinition> Crds = KubernetesResources.CustomResourceDefinitions;

    public async Task<IReadOnlyList<CrdInstallResult>> EnsureInstalledAsync(CancellationToken cancellationToken = default)
    {
        var o = options.Value;
        if (o.EstablishedTimeout <= TimeSpan.Zero || o.PollInterval <= TimeSpan.Zero)
        {
            throw new InvalidOperationException($"{nameof(CrdInstallerOptions)}.{nameof(CrdInstallerOptions.EstablishedTimeout)} and {nameof(CrdInstallerOptions.PollInterval)} must be positive.");
        }

        var names = o.Names.Count > 0 ? o.Names : CrdManifests.All().Select(c => c.Metadata.Name!).ToList();
        var results = new List<CrdInstallResult>();
        foreach (var name in names)
        {
            var result = await EnsureOneAsync(name, cancellationToken);
            await WaitEstablishedAsync(name, o, cancellationToken);
            Log.Ensured(logger, name, result.Action, result.Difference);
            results.Add(result);
        }

        return results;
    }

    private async Task<CrdInstallResult> EnsureOneAsync(string name, CancellationToken cancellationToken)
    {
        var desiredSpec = CrdManifests.GetJson(name)["spec"];
        for (var attempt = 0; ; attempt++)
        {
            var existing = await client.TryGetAsync(Crds, null, name, cancellationToken);
            if (existing is null)
            {
                try
                {
                    await client.CreateAsync(Crds, CrdManifests.Get(name), cancellationToken);
                    return new(name, CrdInstallAction.Created);
                }
                catch (KubernetesApiException ex) when (ex.IsAlreadyExists && attempt < MaxConflictRetries)
                {
                    // Another controller created it meanwhile: compare with theirs.
                    continue;
                }
            }

            var actualSpec = JsonSerializer.SerializeToNode(existing, KubernetesJsonContext.Default.CustomResourceDefinition)?["spec"];
            if (JsonSubset.Contains(actualSpec, desiredSpec, out var difference))
            {
                return new(name, CrdInstallAction.Unchanged);
            }

            var desired = CrdManifests.Get(name);
            desired.Metadata.ResourceVersion = existing.Metadata.ResourceVersion;
            desired.Metadata.Labels = existing.Metadata.Labels;
            desired.Metadata.Annotations = existing.Metadata.Annotations;
            try
            {
                await client.ReplaceAsync(Crds, desired, cancellationToken);
                return new(name, CrdInstallAction.Updated, difference);
            }
            catch (KubernetesApiException ex) when (ex.IsConflict && attempt < MaxConflictRetries)
            {
                // Changed under us: read again.
            }
        }
    }

    private async Task WaitEstablishedAsync(string name, CrdInstallerOptions o, CancellationToken cancellationToken)
    {
        var started = time.GetTimestamp();
        while (true)
        {
            var crd = await client.GetAsync(Crds, null, name, cancellationToken);
            var conditions = crd.Status?.Conditions ?? [];
            if (conditions.Any(c => c.Type == "Established" && c.Status == "True"))
            {
                return;
            }

            if (time.GetElapsedTime(started) >= o.EstablishedTimeout)
            {
                var notAccepted = conditions.FirstOrDefault(c => c.Type == "NamesAccepted" && c.Status == "False");
                throw new TimeoutException($"CRD {name} is not Established after {o.EstablishedTimeout}"
                    + (notAccepted is null ? "." : $": NamesAccepted is False ({notAccepted.Reason}: {notAccepted.Message})."));
            }

            await Task.Delay(o.PollInterval, time, cancellationToken);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 3300, Level = LogLevel.Information, Message = "CRD {Crd}: {Action} (first difference at {Difference}); established")]
        public static partial void Ensured(ILogger logger, string crd, CrdInstallAction action, string? difference);
    }
}
