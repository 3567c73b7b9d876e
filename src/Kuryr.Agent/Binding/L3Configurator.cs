using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Kuryr.Agent.Binding.Drivers;
using Kuryr.Netlink.Namespaces;
using Kuryr.Netlink.Rtnl;
using Kuryr.Netlink.Rtnl.Errors;
using Kuryr.Netlink.Rtnl.Model;
using Kuryr.Vifs.Model;
using Microsoft.Extensions.Logging;

namespace Kuryr.Agent.Binding;

/// <summary>
/// Kuryr's <c>_configure_l3</c>: every fixed IP of the VIF's subnets with the subnet prefix, the subnet
/// host routes, and on the default interface only the default route via the subnet gateway (EEXIST
/// tolerated). IPv6: <c>disable_ipv6=0</c> in the netns first; addresses skip DAD so they are usable at once.
/// </summary>
internal static partial class L3Configurator
{
    /// <summary>The addresses and routes a VIF should give its pod interface (parsed and validated; errors name the field).</summary>
    public static L3Plan Plan(VifTarget target)
    {
        var addresses = new List<(IPAddress Address, int Prefix)>();
        var routes = new List<RouteSpec>();
        IPAddress? defaultGateway4 = null, defaultGateway6 = null;
        string field = $"vifs[{target.InterfaceName}].network.subnets";
        var subnets = target.Vif.Network?.Subnets?.Items ?? [];
        for (int s = 0; s < subnets.Count; s++)
        {
            var subnet = subnets[s];
            string sf = $"{field}[{s}]";
            if (!TryParseCidr(subnet.Cidr, out var network, out int prefix))
            {
                throw new VifBindingException($"{sf}.cidr '{subnet.Cidr}' is not a CIDR");
            }

            foreach (var ip in subnet.Ips?.Items ?? [])
            {
                if (!IPAddress.TryParse(ip.Address, out var address) || address.AddressFamily != network.AddressFamily)
                {
                    throw new VifBindingException($"{sf}.ips: '{ip.Address}' is not an address of {subnet.Cidr}");
                }

                addresses.Add((address, prefix));
            }

            IPAddress? gateway = null;
            if (!string.IsNullOrWhiteSpace(subnet.Gateway))
            {
                if (!IPAddress.TryParse(subnet.Gateway, out gateway) || gateway.AddressFamily != network.AddressFamily)
                {
                    throw new VifBindingException($"{sf}.gateway '{subnet.Gateway}' is not an address of {subnet.Cidr}");
                }

                if (target.IsDefault && (subnet.Ips?.Items.Count ?? 0) > 0)
                {
                    if (gateway.AddressFamily == AddressFamily.InterNetwork)
                    {
                        defaultGateway4 ??= gateway;
                    }
                    else
                    {
                        defaultGateway6 ??= gateway;
                    }
                }
            }

            var hostRoutes = subnet.Routes?.Items ?? [];
            for (int r = 0; r < hostRoutes.Count; r++)
            {
                var route = hostRoutes[r];
                if (!TryParseCidr(route.Cidr, out var dst, out int dstPrefix))
                {
                    throw new VifBindingException($"{sf}.routes[{r}].cidr '{route.Cidr}' is not a CIDR");
                }

                if (!IPAddress.TryParse(route.Gateway, out var via) || via.AddressFamily != dst.AddressFamily)
                {
                    throw new VifBindingException($"{sf}.routes[{r}].gateway '{route.Gateway}' is not an address of the route's family");
                }

                routes.Add(RouteSpec.Via(dst, dstPrefix, via));
            }
        }

        return new L3Plan(addresses, routes, defaultGateway4, defaultGateway6);
    }

    public static async Task ApplyAsync(INetnsRunner runner, BindingSession session, int ifindex, VifTarget target, ILogger logger, CancellationToken cancellationToken)
    {
        var plan = Plan(target);
        var pod = session.Pod!;
        if (plan.Addresses.Any(a => a.Address.AddressFamily == AddressFamily.InterNetworkV6))
        {
            await runner.RunAsync(session.PodNamespace!, () => File.WriteAllText("/proc/sys/net/ipv6/conf/all/disable_ipv6", "0"), cancellationToken).ConfigureAwait(false);
        }

        foreach (var (address, prefix) in plan.Addresses)
        {
            try
            {
                await pod.AddAddressAsync(ifindex, address, prefix, noDad: address.AddressFamily == AddressFamily.InterNetworkV6, cancellationToken).ConfigureAwait(false);
            }
            catch (NetlinkAlreadyExistsException)
            {
                LogAlreadyThere(logger, target.InterfaceName, target.PortId, "address", address);
            }
        }

        foreach (var route in plan.HostRoutes)
        {
            try
            {
                await pod.AddRouteAsync(route with { OutputInterfaceIndex = ifindex }, cancellationToken: cancellationToken).ConfigureAwait(false);
            }
            catch (NetlinkAlreadyExistsException)
            {
                LogAlreadyThere(logger, target.InterfaceName, target.PortId, "host route to", route.Destination);
            }
        }

        foreach (var gateway in new[] { plan.DefaultGateway4, plan.DefaultGateway6 })
        {
            if (gateway is null)
            {
                continue;
            }

            try
            {
                await pod.AddRouteAsync(RouteSpec.DefaultVia(gateway, ifindex), cancellationToken: cancellationToken).ConfigureAwait(false);
            }
            catch (NetlinkAlreadyExistsException)
            {
                LogAlreadyThere(logger, target.InterfaceName, target.PortId, "default route via", gateway);
            }
        }
    }

    /// <summary>What is missing on the pod interface compared with the plan.</summary>
    public static async Task CheckAsync(IRtNetlink pod, int ifindex, VifTarget target, List<string> problems, CancellationToken cancellationToken)
    {
        var plan = Plan(target);
        var present = await pod.ListAddressesAsync(AddressFamily.Unspecified, ifindex, cancellationToken).ConfigureAwait(false);
        foreach (var (address, prefix) in plan.Addresses)
        {
            if (!present.Any(a => a.Address.Equals(address) && a.PrefixLength == prefix))
            {
                problems.Add($"{target.InterfaceName}: address {address}/{prefix} is missing");
            }
        }

        var routes = await pod.ListRoutesAsync(AddressFamily.Unspecified, cancellationToken).ConfigureAwait(false);
        foreach (var route in plan.HostRoutes)
        {
            if (!routes.Any(r => r.Table == 254 && r.PrefixLength == route.PrefixLength && Equals(r.Destination, route.Destination) && Equals(r.Gateway, route.Gateway) && r.OutputInterfaceIndex == ifindex))
            {
                problems.Add($"{target.InterfaceName}: route {route.Destination}/{route.PrefixLength} via {route.Gateway} is missing");
            }
        }

        foreach (var gateway in new[] { plan.DefaultGateway4, plan.DefaultGateway6 })
        {
            if (gateway is not null && !routes.Any(r => r.Table == 254 && r.IsDefault && r.Family == gateway.AddressFamily && Equals(r.Gateway, gateway) && r.OutputInterfaceIndex == ifindex))
            {
                problems.Add($"{target.InterfaceName}: default route via {gateway} is missing");
            }
        }
    }

    internal static bool TryParseCidr(string? cidr, out IPAddress network, out int prefix)
    {
        network = IPAddress.None;
        prefix = 0;
        if (string.IsNullOrWhiteSpace(cidr))
        {
            return false;
        }

        int slash = cidr.IndexOf('/', StringComparison.Ordinal);
        if (slash <= 0 || !IPAddress.TryParse(cidr.AsSpan(0, slash), out var parsed)
            || !int.TryParse(cidr.AsSpan(slash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out prefix))
        {
            return false;
        }

        network = parsed;
        return prefix <= (parsed.AddressFamily == AddressFamily.InterNetwork ? 32 : 128);
    }

    [LoggerMessage(EventId = 6640, Level = LogLevel.Debug, Message = "{Interface} (port {Port}): {What} {Value} already there")]
    private static partial void LogAlreadyThere(ILogger logger, string @interface, string port, string what, IPAddress? value);
}

/// <summary>What L3 configuration a VIF asks for.</summary>
internal sealed record L3Plan(
    IReadOnlyList<(IPAddress Address, int Prefix)> Addresses,
    IReadOnlyList<RouteSpec> HostRoutes,
    IPAddress? DefaultGateway4,
    IPAddress? DefaultGateway6);
