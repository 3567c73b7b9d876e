using Kuryr.Controller.MultiVif.Common;
using Microsoft.Extensions.Logging;

namespace Kuryr.Controller.MultiVif.AdditionalSubnets;

/// <summary>
/// <c>additional_subnets</c> (Kuryr's design doc; never in Kuryr's code): the pod annotation
/// <c>openstack.org/kuryr-additional-subnets</c> is a JSON list of subnet ids; one pooled VIF per
/// subnet (pool of that subnet's network, same project, security groups and pool driver as eth0).
/// A malformed annotation, an entry that is no subnet id or a subnet Neutron does not know gets a
/// Warning event and no VIF. docs/multi-vif.md.
/// </summary>
internal sealed partial class AdditionalSubnetsMultiVifDriver : IMultiVifDriver
{
    public const string DriverName = "additional_subnets";

    public const string Annotation = KuryrConstants.AdditionalSubnetsAnnotation;

    private readonly MultiVifSupport _support;
    private readonly ILogger<AdditionalSubnetsMultiVifDriver> _logger;

    public AdditionalSubnetsMultiVifDriver(MultiVifSupport support, ILogger<AdditionalSubnetsMultiVifDriver> logger)
    {
        _support = support;
        _logger = logger;
    }

    public string Name => DriverName;

    public async Task<IReadOnlyList<AdditionalVif>> RequestAdditionalVifsAsync(MultiVifContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var pod = context.Pod;
        var entries = await _support.ReadIdListAsync(pod, Annotation, "subnet", cancellationToken).ConfigureAwait(false);
        if (entries.Count == 0)
        {
            return [];
        }

        var names = new InterfaceNames(context);
        var result = new List<AdditionalVif>();
        foreach (var entry in entries)
        {
            if (entry.Value is not { } subnetId)
            {
                await _support.WarnAsync(pod, Annotation, entry.Text, entry.Problem!, cancellationToken).ConfigureAwait(false);
                continue;
            }

            var subnet = await _support.TryGetSubnetAsync(subnetId, cancellationToken).ConfigureAwait(false);
            if (subnet is null)
            {
                await _support.WarnAsync(pod, Annotation, entry.Text, $"subnet {subnetId} does not exist in Neutron", cancellationToken).ConfigureAwait(false);
                continue;
            }

            if (!MultiVifSupport.Usable(subnet, context.Network.ProjectId))
            {
                await _support.WarnAsync(pod, Annotation, entry.Text, $"subnet {subnetId} is on network {subnet.Network.Id} of another project and not shared", cancellationToken).ConfigureAwait(false);
                continue;
            }

            var (ifname, _) = names.Next(null);
            LogSubnet(pod.Metadata.Namespace ?? "", pod.Metadata.Name ?? "", ifname!, subnetId);
            result.Add(await _support.RequestPooledAsync(context, ifname!, subnet, null, cancellationToken).ConfigureAwait(false));
            names.Commit();
        }

        return result;
    }
}
