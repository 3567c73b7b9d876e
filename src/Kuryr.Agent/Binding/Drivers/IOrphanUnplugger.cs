namespace Kuryr.Agent.Binding.Drivers;

/// <summary>A driver that can clean its host side when the VIFs are no longer known (an unplug with no VIFs): found from the pod interface.</summary>
internal interface IOrphanUnplugger
{
    Task UnplugUnknownAsync(BindingSession session, string podInterfaceName, CancellationToken cancellationToken);
}
