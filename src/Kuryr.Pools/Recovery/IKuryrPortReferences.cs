namespace Kuryr.Pools.Recovery;

/// <summary>
/// Which Neutron ports the KuryrPort CRs reference (<c>status.vifs[ifname].vif</c>, the os-vif
/// envelope's <c>versioned_object.data.id</c>) and which KuryrPorts exist, read in one paginated
/// LIST across all namespaces. Recovery uses it to re-mark ports held by pods; garbage collection to
/// never touch a port a pod holds.
/// </summary>
public interface IKuryrPortReferences
{
    /// <summary>The complete picture, or an exception (a failed page, a VIF without a port id):
    /// never a partial listing.</summary>
    Task<KuryrPortReferenceSet> ListAsync(CancellationToken cancellationToken = default);
}

/// <summary>A port referenced by one KuryrPort interface.</summary>
/// <param name="PortId">Neutron port id.</param>
/// <param name="Namespace">KuryrPort (= pod) namespace.</param>
/// <param name="Name">KuryrPort (= pod) name.</param>
/// <param name="PodUid"><c>spec.podUid</c>.</param>
/// <param name="InterfaceName">The <c>status.vifs</c> key (eth0, eth1, ...).</param>
public sealed record KuryrPortReference(string PortId, string Namespace, string Name, string PodUid, string InterfaceName)
{
    /// <summary>The pool owner string, as <see cref="PodVifRequest.Owner"/> builds it: <c>namespace/pod/uid/ifname</c>.</summary>
    public string Owner => $"{Namespace}/{Name}/{PodUid}/{InterfaceName}";
}

/// <summary>The result of one complete KuryrPort listing.</summary>
public sealed class KuryrPortReferenceSet
{
    private readonly Dictionary<string, KuryrPortReference> _byPort;
    private readonly HashSet<string> _pods;

    public KuryrPortReferenceSet(IEnumerable<KuryrPortReference> references, IEnumerable<(string Namespace, string Name, string PodUid)> kuryrPorts)
    {
        ArgumentNullException.ThrowIfNull(references);
        ArgumentNullException.ThrowIfNull(kuryrPorts);
        _byPort = new Dictionary<string, KuryrPortReference>(StringComparer.Ordinal);
        foreach (var r in references)
        {
            _byPort.TryAdd(r.PortId, r);
        }

        _pods = [.. kuryrPorts.Select(k => PodKey(k.Namespace, k.Name, k.PodUid))];
    }

    /// <summary>Port id → the interface that references it.</summary>
    public IReadOnlyDictionary<string, KuryrPortReference> ByPortId => _byPort;

    /// <summary>How many KuryrPorts the listing held.</summary>
    public int KuryrPortCount => _pods.Count;

    public bool IsReferenced(string portId) => _byPort.ContainsKey(portId);

    /// <summary>
    /// True when the pod behind <paramref name="owner"/> (<c>namespace/pod/uid/ifname</c>) still has its
    /// KuryrPort (same namespace, name and pod UID), even if <c>status.vifs</c> is not written yet:
    /// such a port is in the middle of being handed out and must not be released. An owner that
    /// does not parse counts as gone.
    /// </summary>
    public bool OwnerExists(string owner)
    {
        ArgumentNullException.ThrowIfNull(owner);
        var parts = owner.Split('/');
        return parts.Length == 4 && _pods.Contains(PodKey(parts[0], parts[1], parts[2]));
    }

    private static string PodKey(string ns, string name, string uid) => ns + "/" + name + "/" + uid;
}

/// <summary>A KuryrPort could not be read: names the object and the field.</summary>
public sealed class KuryrPortReferenceException : Exception
{
    public KuryrPortReferenceException() { }

    public KuryrPortReferenceException(string message) : base(message) { }

    public KuryrPortReferenceException(string message, Exception innerException) : base(message, innerException) { }
}
