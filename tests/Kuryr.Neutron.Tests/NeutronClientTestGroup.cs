namespace Kuryr.Neutron.Tests;

/// <summary>
/// Runs the Neutron client's integration classes one at a time: they share the test bed's
/// neutron-server (each in its own fresh project, <c>Kuryr.Testing.Neutron.NeutronTestProject</c>).
/// </summary>
[CollectionDefinition(Collection)]
public sealed class NeutronClientTestGroup
{
    public const string Collection = "neutron-client";
}
