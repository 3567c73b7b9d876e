using System.Net.Sockets;
using Kuryr.Cni.Spec.Errors;
using Kuryr.Cni.Spec.Results;
using Kuryr.Cni.Spec.Versions;
using Kuryr.Vifs.Model;

namespace Kuryr.Cni.Spec.Vifs;

/// <summary>One VIF plugged into the pod: the name it got in the netns and whether it carries the default route.</summary>
public sealed record PluggedVif(string IfName, VifBase Vif, bool IsDefault);

/// <summary>A host-side interface of a plug (the host end of a pod veth), listed without <c>sandbox</c>.</summary>
public sealed record HostInterface(string Name, string? Mac);

/// <summary>
/// Builds the CNI result from Kuryr VIF envelopes, in Kuryr's shape (inventory §6): one interface per
/// VIF <c>{name, mac, sandbox}</c>, one ip per fixed IP <c>{address ip/prefix, gateway, interface}</c>,
/// the subnets' host routes, and the DNS nameservers. Differences from Kuryr, on purpose:
/// <c>sandbox</c> is the netns path (the spec's meaning; Kuryr's Go binary put the container id
/// there), and the default route the agent installs on the default interface is listed
/// (<c>0.0.0.0/0</c> or <c>::/0</c> via the subnet gateway) so chained plugins see the real routing.
/// Host ends of veth-based plugs are appended AFTER the pod interfaces, without <c>sandbox</c> (the
/// spec's host-side interface; the reference <c>bandwidth</c> plugin shapes the pod's veth peer found
/// there), so <c>ips[].interface</c> keeps indexing the pod interfaces.
/// </summary>
public static class VifResultBuilder
{
    public static CniResult Build(IReadOnlyList<PluggedVif> vifs, string netns) => Build(vifs, netns, []);

    public static CniResult Build(IReadOnlyList<PluggedVif> vifs, string netns, IReadOnlyList<HostInterface> hostInterfaces)
    {
        ArgumentNullException.ThrowIfNull(vifs);
        ArgumentNullException.ThrowIfNull(hostInterfaces);
        var result = new CniResult { CniVersion = CniVersions.V100, Interfaces = [], Ips = [], Routes = [] };
        var nameservers = new List<string>();
        for (var index = 0; index < vifs.Count; index++)
        {
            var (ifName, vif, isDefault) = vifs[index];
            result.Interfaces.Add(new CniInterface { Name = ifName, Mac = vif.Address, Sandbox = netns });
            var subnets = vif.Network?.Subnets?.Items ?? [];
            foreach (var subnet in subnets)
            {
                var (_, prefix) = CniResultConverter.ParseCidr(subnet.Cidr, $"VIF {vif.Id} subnet cidr");
                foreach (var ip in subnet.Ips?.Items ?? [])
                {
                    if (string.IsNullOrEmpty(ip.Address))
                    {
                        throw new CniException(CniErrorCodes.DecodeFailure, $"VIF {vif.Id}: a fixed IP of subnet {subnet.Cidr} has no address");
                    }

                    result.Ips.Add(new CniIpConfig { Address = $"{ip.Address}/{prefix}", Gateway = subnet.Gateway, Interface = index });
                }

                foreach (var route in subnet.Routes?.Items ?? [])
                {
                    result.Routes.Add(new CniRoute { Dst = route.Cidr ?? "", Gw = route.Gateway });
                }

                if (isDefault && !string.IsNullOrEmpty(subnet.Gateway))
                {
                    var v6 = CniResultConverter.ParseCidr(subnet.Cidr, "cidr").Address.AddressFamily == AddressFamily.InterNetworkV6;
                    result.Routes.Add(new CniRoute { Dst = v6 ? "::/0" : "0.0.0.0/0", Gw = subnet.Gateway });
                }

                foreach (var dns in subnet.Dns ?? [])
                {
                    if (!nameservers.Contains(dns, StringComparer.Ordinal))
                    {
                        nameservers.Add(dns);
                    }
                }
            }
        }

        foreach (var host in hostInterfaces)
        {
            if (string.IsNullOrWhiteSpace(host.Name))
            {
                throw new CniException(CniErrorCodes.InternalError, "VIF result: a host interface has no name");
            }

            result.Interfaces.Add(new CniInterface { Name = host.Name, Mac = host.Mac });
        }

        if (nameservers.Count > 0)
        {
            result.Dns = new CniDns { Nameservers = nameservers };
        }

        CniResultConverter.Validate(result, "VIF result");
        return result;
    }
}
