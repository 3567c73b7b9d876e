using Kuryr.Neutron.Extensions;
using Kuryr.Testing.Neutron;

namespace Kuryr.Neutron.Tests.Extensions;

[Collection(NeutronClientTestGroup.Collection)]
public sealed class NeutronClientExtensionsTests : IAsyncLifetime
{
    private readonly NeutronTestProject _project = new();

    public Task InitializeAsync() => _project.InitializeAsync();

    public Task DisposeAsync() => _project.DisposeAsync();

    [Fact]
    public async Task The_test_beds_extensions_are_listed_and_checked()
    {
        var extensions = await _project.Admin.ListExtensionsAsync();

        Assert.Contains(extensions, e => e.Alias == KnownExtensions.Trunk && !string.IsNullOrEmpty(e.Name));
        Assert.True(await _project.Admin.HasExtensionAsync(KnownExtensions.TagPortsDuringBulkCreation));
        Assert.True(await _project.Admin.HasExtensionAsync(KnownExtensions.TrunkDetails));
        Assert.False(await _project.Admin.HasExtensionAsync("no-such-extension"));
    }
}
