using Kuryr.Config.Options;
using Kuryr.Pools.GarbageCollection;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Kuryr.Pools.Tests.GarbageCollection;

public sealed class GarbageCollectionServiceCollectionExtensionsTests
{
    [Fact]
    public void The_interval_comes_from_vif_pool_gc_interval_and_an_explicit_configure_wins()
    {
        var services = new ServiceCollection();
        services.Configure<VifPoolOptions>(o => o.GcIntervalSeconds = 30);
        services.AddKuryrPortGarbageCollection();
        using (var sp = services.BuildServiceProvider())
        {
            Assert.Equal(TimeSpan.FromSeconds(30), sp.GetRequiredService<IOptions<LeakedPortCollectorOptions>>().Value.Interval);
        }

        var explicitServices = new ServiceCollection();
        explicitServices.Configure<VifPoolOptions>(o => o.GcIntervalSeconds = 30);
        explicitServices.AddKuryrPortGarbageCollection(o => o.Interval = TimeSpan.FromSeconds(7));
        using var explicitSp = explicitServices.BuildServiceProvider();
        Assert.Equal(TimeSpan.FromSeconds(7), explicitSp.GetRequiredService<IOptions<LeakedPortCollectorOptions>>().Value.Interval);
        Assert.Equal(TimeSpan.FromMinutes(10), new VifPoolOptions().GcInterval);
    }
}
