using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Kuryr.Config.Options;
using Kuryr.Kubernetes.Client;
using Kuryr.Kubernetes.Models;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Kuryr.Controller.Handlers.Namespaces;

/// <summary>
/// Kuryr's <c>namespace</c> handler: a namespace with at least one non-hostNetwork pod gets its
/// KuryrNetwork (name = namespace, in it, with the KuryrNetwork finalizer and
/// <c>spec {nsName, projectId, nsLabels}</c>); <c>spec.nsLabels</c> follows the namespace labels;
/// a terminating or deleted namespace loses its KuryrNetwork (whose finalizer frees the pools and
/// the Neutron network). Namespaces that only run host-network pods (kube-system and the like)
/// get nothing. Pods created later in such a namespace reach <see cref="EnsureAsync"/> through
/// <see cref="NamespacePodHandler"/>, so a namespace that gets pods always gets its KuryrNetwork
/// (Kuryr relied on the vif handler annotating the namespace instead).
/// </summary>
internal sealed partial class NamespaceHandler : IResourceHandler<Namespace>
{
    private const int PodPageSize = 500;

    private readonly IKubernetesClient _kubernetes;
    private readonly NeutronDefaultsOptions _defaults;
    private readonly ILogger<NamespaceHandler> _logger;

    /// <summary>Namespaces known to have their KuryrNetwork (pod events for them cost no API call).</summary>
    private readonly ConcurrentDictionary<string, bool> _ensured = new(StringComparer.Ordinal);

    public NamespaceHandler(IKubernetesClient kubernetes, IOptions<NeutronDefaultsOptions> defaults, ILogger<NamespaceHandler> logger)
    {
        _kubernetes = kubernetes;
        _defaults = defaults.Value;
        _logger = logger;
    }

    public async Task OnPresentAsync(Namespace obj, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(obj);
        var ns = NameOf(obj);
        var existing = await _kubernetes.TryGetAsync(KubernetesResources.KuryrNetworks, ns, ns, cancellationToken).ConfigureAwait(false);
        if (existing is not null)
        {
            await SyncLabelsAsync(existing, obj, cancellationToken).ConfigureAwait(false);
            return;
        }

        if (!await HasPodNetworkPodsAsync(ns, cancellationToken).ConfigureAwait(false))
        {
            LogNoPods(ns);
            return;
        }

        await CreateAsync(obj, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Makes sure namespace <paramref name="ns"/> has its KuryrNetwork (a pod that needs it was seen).
    /// Nothing is done for a namespace that is gone or terminating. Remembered once done.</summary>
    public async Task EnsureAsync(string ns, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(ns);
        if (_ensured.ContainsKey(ns))
        {
            return;
        }

        if (await _kubernetes.TryGetAsync(KubernetesResources.KuryrNetworks, ns, ns, cancellationToken).ConfigureAwait(false) is not null)
        {
            _ensured[ns] = true;
            return;
        }

        var namespaceObj = await _kubernetes.TryGetAsync(KubernetesResources.Namespaces, null, ns, cancellationToken).ConfigureAwait(false);
        if (namespaceObj is null || namespaceObj.Metadata.DeletionTimestamp is not null)
        {
            return;
        }

        await CreateAsync(namespaceObj, cancellationToken).ConfigureAwait(false);
        _ensured[ns] = true;
    }

    public Task OnFinalizeAsync(Namespace obj, CancellationToken cancellationToken) => DeleteKuryrNetworkAsync(obj, cancellationToken);

    public Task OnDeletedAsync(Namespace obj, CancellationToken cancellationToken) => DeleteKuryrNetworkAsync(obj, cancellationToken);

    private async Task CreateAsync(Namespace obj, CancellationToken cancellationToken)
    {
        var ns = NameOf(obj);
        var project = string.IsNullOrEmpty(_defaults.Project)
            ? throw new InvalidOperationException("[neutron_defaults] project is not set: the namespace handler needs it for the KuryrNetwork's spec.projectId")
            : _defaults.Project;
        var network = new KuryrNetwork
        {
            Metadata = new ObjectMeta { Name = ns, Namespace = ns, Finalizers = [KuryrConstants.KuryrNetworkFinalizer] },
            Spec = new KuryrNetworkSpec { NsName = ns, ProjectId = project, NsLabels = Labels(obj) },
        };
        try
        {
            await _kubernetes.CreateAsync(KubernetesResources.KuryrNetworks, network, cancellationToken).ConfigureAwait(false);
            LogCreated(ns, project);
        }
        catch (KubernetesApiException e) when (e.Kind == KubernetesErrorKind.AlreadyExists)
        {
            // Another event (or replica) created it meanwhile: bring its labels up to date.
            var existing = await _kubernetes.TryGetAsync(KubernetesResources.KuryrNetworks, ns, ns, cancellationToken).ConfigureAwait(false);
            if (existing is not null)
            {
                await SyncLabelsAsync(existing, obj, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (KubernetesApiException e) when (e.Kind == KubernetesErrorKind.Forbidden && obj.Metadata.DeletionTimestamp is null)
        {
            // The API server refuses new objects in a terminating namespace: retry, the finalize event follows.
            throw new ResourceNotReadyException($"namespace {ns}: KuryrNetwork creation refused ({e.Message})", e);
        }
    }

    private async Task SyncLabelsAsync(KuryrNetwork existing, Namespace obj, CancellationToken cancellationToken)
    {
        var ns = NameOf(obj);
        var labels = Labels(obj);
        var current = existing.Spec?.NsLabels ?? [];
        if (current.Count == labels.Count && labels.All(kv => current.TryGetValue(kv.Key, out var v) && v == kv.Value))
        {
            return;
        }

        // JSON patch as Kuryr does: a merge patch could not drop removed labels without nulls.
        var value = new JsonObject();
        foreach (var (k, v) in labels)
        {
            value[k] = v;
        }

        var patch = KubernetesPatch.Json([new JsonObject { ["op"] = "add", ["path"] = "/spec/nsLabels", ["value"] = value }]);
        await _kubernetes.PatchAsync(KubernetesResources.KuryrNetworks, ns, ns, patch, cancellationToken).ConfigureAwait(false);
        LogLabelsSynced(ns, labels.Count);
    }

    private async Task<bool> HasPodNetworkPodsAsync(string ns, CancellationToken cancellationToken)
    {
        await foreach (var pod in _kubernetes.ListAllAsync(KubernetesResources.Pods, ns, new ListOptions { Limit = PodPageSize }, cancellationToken).ConfigureAwait(false))
        {
            if (pod.Spec?.HostNetwork != true)
            {
                return true;
            }
        }

        return false;
    }

    private async Task DeleteKuryrNetworkAsync(Namespace obj, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(obj);
        var ns = NameOf(obj);
        _ensured.TryRemove(ns, out _);
        try
        {
            await _kubernetes.DeleteAsync(KubernetesResources.KuryrNetworks, ns, ns, null, cancellationToken).ConfigureAwait(false);
            LogDeleting(ns);
        }
        catch (KubernetesApiException e) when (e.Kind == KubernetesErrorKind.NotFound)
        {
            // Never created (host-network-only namespace) or already gone.
        }
    }

    private static Dictionary<string, string> Labels(Namespace obj) => new(obj.Metadata.Labels ?? new Dictionary<string, string>(), StringComparer.Ordinal);

    private static string NameOf(Namespace obj) =>
        string.IsNullOrEmpty(obj.Metadata.Name) ? throw new ArgumentException("Namespace metadata.name is required", nameof(obj)) : obj.Metadata.Name;

    [LoggerMessage(EventId = 5600, Level = LogLevel.Information, Message = "Namespace {Namespace}: KuryrNetwork created (project {Project})")]
    private partial void LogCreated(string @namespace, string project);

    [LoggerMessage(EventId = 5601, Level = LogLevel.Debug, Message = "Namespace {Namespace}: no pod on the pod network yet, no KuryrNetwork")]
    private partial void LogNoPods(string @namespace);

    [LoggerMessage(EventId = 5602, Level = LogLevel.Information, Message = "Namespace {Namespace}: KuryrNetwork spec.nsLabels updated ({Count} labels)")]
    private partial void LogLabelsSynced(string @namespace, int count);

    [LoggerMessage(EventId = 5603, Level = LogLevel.Information, Message = "Namespace {Namespace} is going: KuryrNetwork deletion requested (its finalizer frees the network)")]
    private partial void LogDeleting(string @namespace);
}
