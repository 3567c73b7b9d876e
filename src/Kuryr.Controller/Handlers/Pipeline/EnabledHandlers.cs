namespace Kuryr.Controller.Handlers.Pipeline;

/// <summary>Decides which registrations run from <c>[kubernetes] enabled_handlers</c>.</summary>
internal static class EnabledHandlers
{
    /// <summary>Kuryr's handlers that Kuryr.Node does not implement (load balancers, policies, ...): warned about and ignored.</summary>
    public static readonly IReadOnlySet<string> NotImplemented = new HashSet<string>(StringComparer.Ordinal)
    {
        "endpoints", "service", "kuryrloadbalancer", "policy", "kuryrnetworkpolicy", "pod_label", "openshift_machine",
    };

    /// <summary>
    /// The registrations to run, in <paramref name="enabled"/> order, and the enabled names that are
    /// ignored. Throws <see cref="InvalidOperationException"/> naming <c>[kubernetes] enabled_handlers</c>
    /// for a name that is neither registered nor a known Kuryr-only handler, and for a name registered twice.
    /// </summary>
    public static (IReadOnlyList<HandlerRegistration> Run, IReadOnlyList<string> Ignored) Resolve(
        IEnumerable<string> enabled, IEnumerable<HandlerRegistration> registrations)
    {
        // One name may cover several resources (Kuryr's `namespace` handler also acts on pods), but
        // not the same resource twice.
        var byName = new Dictionary<string, List<HandlerRegistration>>(StringComparer.Ordinal);
        foreach (var registration in registrations)
        {
            if (!byName.TryGetValue(registration.Name, out var list))
            {
                byName[registration.Name] = list = [];
            }
            else if (list.Any(r => r.ResourceName == registration.ResourceName))
            {
                throw new InvalidOperationException($"handler '{registration.Name}' is registered twice for {registration.ResourceName} (AddResourceHandler); each name must be registered once per resource.");
            }

            list.Add(registration);
        }

        var run = new List<HandlerRegistration>();
        var ignored = new List<string>();
        var unknown = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var raw in enabled)
        {
            var name = raw.Trim();
            if (name.Length == 0 || !seen.Add(name))
            {
                continue;
            }

            if (byName.TryGetValue(name, out var registered))
            {
                run.AddRange(registered);
            }
            else if (NotImplemented.Contains(name))
            {
                ignored.Add(name);
            }
            else
            {
                unknown.Add(name);
            }
        }

        if (unknown.Count > 0)
        {
            var available = byName.Keys.Order(StringComparer.Ordinal).ToList();
            throw new InvalidOperationException(
                $"[kubernetes] enabled_handlers: {string.Join(", ", unknown.Select(n => "'" + n + "'"))} "
                + (unknown.Count == 1 ? "is" : "are") + " not available in this kuryr-controller (available: "
                + (available.Count == 0 ? "none" : string.Join(", ", available)) + "; ignored Kuryr handlers: "
                + string.Join(", ", NotImplemented.Order(StringComparer.Ordinal)) + ")");
        }

        return (run, ignored);
    }
}
