using Kuryr.Neutron.Errors;

namespace Kuryr.Neutron.Auth;

/// <summary>Picks Neutron's endpoint from a token's service catalog, as keystoneauth does.</summary>
internal static class KeystoneCatalog
{
    /// <summary>
    /// The first endpoint of a service of type <paramref name="serviceType"/> whose interface is
    /// the first of <paramref name="interfaces"/> that has one (<c>internalURL</c> = <c>internal</c>),
    /// in <paramref name="region"/> when one is given. Throws <see cref="NeutronEndpointNotFoundException"/>
    /// naming service type, interfaces and region otherwise.
    /// </summary>
    public static string SelectEndpoint(IReadOnlyList<KeystoneCatalogService>? catalog, string serviceType, IEnumerable<string> interfaces, string? region)
    {
        var wanted = interfaces.Where(i => !string.IsNullOrWhiteSpace(i)).Select(NormalizeInterface).ToList();
        var services = (catalog ?? []).Where(s => string.Equals(s.Type, serviceType, StringComparison.OrdinalIgnoreCase)).ToList();
        foreach (var iface in wanted)
        {
            foreach (var service in services)
            {
                foreach (var endpoint in service.Endpoints ?? [])
                {
                    if (string.Equals(NormalizeInterface(endpoint.Interface ?? ""), iface, StringComparison.OrdinalIgnoreCase)
                        && !string.IsNullOrWhiteSpace(endpoint.Url)
                        && (string.IsNullOrWhiteSpace(region)
                            || string.Equals(endpoint.Region, region, StringComparison.Ordinal)
                            || string.Equals(endpoint.RegionId, region, StringComparison.Ordinal)))
                    {
                        return endpoint.Url;
                    }
                }
            }
        }

        var found = services.Count == 0
            ? $"the catalog has no service of that type (types: {string.Join(", ", (catalog ?? []).Select(s => s.Type).Distinct())})"
            : "the catalog has: " + string.Join(", ", services.SelectMany(s => s.Endpoints ?? []).Select(e => $"{e.Interface}@{e.RegionId ?? e.Region}"));
        throw new NeutronEndpointNotFoundException("keystone_catalog",
            $"no endpoint for service_type '{serviceType}' with valid_interfaces [{string.Join(", ", wanted)}]"
            + (string.IsNullOrWhiteSpace(region) ? "" : $" in region_name '{region}'") + $"; {found}. Set [neutron] endpoint_override or fix the catalog");
    }

    private static string NormalizeInterface(string iface)
    {
        var i = iface.Trim();
        return i.EndsWith("URL", StringComparison.Ordinal) ? i[..^3] : i;
    }
}
