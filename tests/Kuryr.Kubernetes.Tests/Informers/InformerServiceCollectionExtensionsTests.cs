using Kuryr.Kubernetes.Client;
using Kuryr.Kubernetes.Crds;
using Kuryr.Kubernetes.Informers;
using Kuryr.Kubernetes.LeaderElection;
using Kuryr.Kubernetes.Models;
using Kuryr.Kubernetes.WorkQueue;
using Kuryr.Testing.TestBed;
using Kuryr.Testing.Time;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Kuryr.Kubernetes.Tests.Informers;

/// <summary>The AddXxx extensions of the four folders compose through DI and use the registered TimeProvider.</summary>
public class InformerServiceCollectionExtensionsTests(KubeTestBed bed) : IClassFixture<KubeTestBed>
{
    [Fact]
    public async Task Everything_resolves_from_one_container()
    {
        using var client = KubeClients.Create(bed);
        var time = new ManualTimeProvider();
        await using var sp = new ServiceCollection()
            .AddLogging()
            .AddSingleton<TimeProvider>(time)
            .AddSingleton(client)
            .AddKubernetesInformers()
            .AddKubernetesWorkQueues()
            .AddKuryrCrdInstaller(o => o.Names.Add(CrdManifests.KuryrPorts))
            .AddLeaderElection(o => o.Identity = "me")
            .BuildServiceProvider();

        var informer = sp.GetRequiredService<IInformerFactory>().Create(KubernetesResources.KuryrPorts, new InformerOptions<KuryrPort> { LabelSelector = "x=y" });
        Assert.False(informer.HasSynced);
        Assert.Same(KubernetesResources.KuryrPorts, informer.Resource);

        using var queue = sp.GetRequiredService<IWorkQueueFactory>().Create<string>("q");
        queue.AddAfter("k", TimeSpan.FromSeconds(1));
        Assert.Equal(0, queue.Count);
        time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(1, queue.Count);

        Assert.Equal("me", sp.GetRequiredService<ILeaderElector>().Identity);
        Assert.NotNull(sp.GetRequiredService<ICrdInstaller>());
    }
}
