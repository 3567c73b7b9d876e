using Kuryr.Kubernetes.Models;
using Kuryr.Pools;
using Kuryr.Pools.Prepopulation;
using Microsoft.Extensions.Logging;

namespace Kuryr.Controller.Handlers.KuryrNetworks;

/// <summary>
/// Kuryr's <c>kuryrnetwork_population</c> handler: fills the namespace's pool on every pooled
/// worker node (<see cref="INamespacePrepopulator"/>: <c>populated: true</c> first, guarded by the
/// read resourceVersion, back to <c>false</c> on failure). Fix of LP #1916544: it acts only once the
/// <c>kuryrnetwork</c> handler has written its last step (<c>populated: false</c> present), never on
/// a status still being built, so the two never race over <c>populated</c>. A failure is a
/// <see cref="ResourceNotReadyException"/>: the pipeline retries.
/// </summary>
internal sealed partial class KuryrNetworkPopulationHandler : IResourceHandler<KuryrNetwork>
{
    private readonly INamespacePrepopulator _prepopulator;
    private readonly ILogger<KuryrNetworkPopulationHandler> _logger;

    public KuryrNetworkPopulationHandler(INamespacePrepopulator prepopulator, ILogger<KuryrNetworkPopulationHandler> logger)
    {
        _prepopulator = prepopulator;
        _logger = logger;
    }

    public async Task OnPresentAsync(KuryrNetwork obj, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(obj);
        var ns = obj.Metadata.Namespace ?? "";
        if (string.IsNullOrEmpty(obj.Status?.SubnetId) || obj.Status.Populated != false)
        {
            // No subnet yet, network not complete (no populated written yet), or populated already.
            return;
        }

        PrepopulationResult result;
        try
        {
            result = await _prepopulator.PopulateAsync(obj, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException and not ResourceNotReadyException)
        {
            throw new ResourceNotReadyException($"KuryrNetwork {ns}: prepopulation failed, retrying ({e.Message})", e);
        }

        LogPopulated(ns, result.Outcome, result.Pools.Count, result.PortsPerPool);
    }

    public Task OnFinalizeAsync(KuryrNetwork obj, CancellationToken cancellationToken) => Task.CompletedTask;

    public Task OnDeletedAsync(KuryrNetwork obj, CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(EventId = 5750, Level = LogLevel.Information, Message = "KuryrNetwork {Namespace}: prepopulation {Outcome}, {Pools} pools with {PortsPerPool} ports each")]
    private partial void LogPopulated(string @namespace, PrepopulationOutcome outcome, int pools, int portsPerPool);
}
