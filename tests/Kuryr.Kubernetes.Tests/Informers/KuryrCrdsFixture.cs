using Kuryr.Kubernetes.Client;
using Kuryr.Kubernetes.Crds;
using Kuryr.Testing.TestBed;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Kuryr.Kubernetes.Tests.Informers;

/// <summary>The real API server with Kuryr's CRDs installed (by the installer under test).</summary>
public sealed class KuryrCrdsFixture : IAsyncLifetime
{
    public KubeTestBed Bed { get; } = new();

    public IKubernetesClient Client { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        await Bed.InitializeAsync();
        Client = KubeClients.Create(Bed);
        await using var sp = new ServiceCollection().AddLogging().AddSingleton(Client).AddKuryrCrdInstaller().BuildServiceProvider();
        await sp.GetRequiredService<ICrdInstaller>().EnsureInstalledAsync();
    }

    public Task DisposeAsync()
    {
        Client.Dispose();
        return Task.CompletedTask;
    }
}
