using Kuryr.Kubernetes.Models;

namespace Kuryr.Controller.Handlers.Namespaces;

/// <summary>
/// The pod side of the <c>namespace</c> handler (registered under the same name, on pods): the first
/// non-hostNetwork pod seen in a namespace makes sure the namespace has its KuryrNetwork, so a
/// namespace that had no pods when its own event came still gets one. Namespaces already handled
/// are remembered, so later pods cost no API call.
/// </summary>
internal sealed class NamespacePodHandler : IResourceHandler<Pod>
{
    private readonly NamespaceHandler _namespaces;

    public NamespacePodHandler(NamespaceHandler namespaces) => _namespaces = namespaces;

    public async Task OnPresentAsync(Pod obj, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(obj);
        var ns = obj.Metadata.Namespace;
        if (obj.Spec?.HostNetwork == true || string.IsNullOrEmpty(ns) || obj.Metadata.DeletionTimestamp is not null)
        {
            return;
        }

        await _namespaces.EnsureAsync(ns, cancellationToken).ConfigureAwait(false);
    }

    public Task OnFinalizeAsync(Pod obj, CancellationToken cancellationToken) => Task.CompletedTask;

    public Task OnDeletedAsync(Pod obj, CancellationToken cancellationToken) => Task.CompletedTask;
}
