using System.Text.Json.Nodes;
using Kuryr.Kubernetes.Client;
using Kuryr.Kubernetes.Models;

namespace Kuryr.Pools.Recovery;

/// <inheritdoc cref="IKuryrPortReferences"/>
internal sealed class KuryrPortReferences : IKuryrPortReferences
{
    /// <summary>Page size of the LIST (every page shares the first page's snapshot).</summary>
    internal const int PageSize = 500;

    private readonly IKubernetesClient _kubernetes;

    public KuryrPortReferences(IKubernetesClient kubernetes) => _kubernetes = kubernetes;

    public async Task<KuryrPortReferenceSet> ListAsync(CancellationToken cancellationToken = default)
    {
        var references = new List<KuryrPortReference>();
        var pods = new List<(string, string, string)>();
        await foreach (var kp in _kubernetes.ListAllAsync(KubernetesResources.KuryrPorts, null, new ListOptions { Limit = PageSize }, cancellationToken)
            .ConfigureAwait(false))
        {
            var ns = kp.Metadata.Namespace ?? "";
            var name = kp.Metadata.Name ?? "";
            var uid = kp.Spec?.PodUid ?? "";
            pods.Add((ns, name, uid));
            foreach (var (ifname, vif) in kp.Status?.Vifs ?? [])
            {
                if (vif?.Vif is null)
                {
                    continue;
                }

                references.Add(new KuryrPortReference(PortIdOf(vif.Vif, ns, name, ifname), ns, name, uid, ifname));
            }
        }

        return new KuryrPortReferenceSet(references, pods);
    }

    /// <summary>The Neutron port id of an os-vif envelope: <c>versioned_object.data.id</c>.</summary>
    internal static string PortIdOf(JsonObject envelope, string ns, string name, string ifname)
    {
        var data = envelope["versioned_object.data"] as JsonObject;
        var id = data?["id"] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;
        if (string.IsNullOrWhiteSpace(id))
        {
            throw new KuryrPortReferenceException(
                $"KuryrPort {ns}/{name}: status.vifs.{ifname}.vif.versioned_object.data.id is missing or not a string: cannot tell which Neutron port it holds");
        }

        return id;
    }
}
