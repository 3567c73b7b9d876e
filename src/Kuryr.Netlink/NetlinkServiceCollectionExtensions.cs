using Kuryr.Netlink.Namespaces;
using Kuryr.Netlink.Rtnl;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;

namespace Kuryr.Netlink;

/// <summary>DI registration for the netlink library.</summary>
public static class NetlinkServiceCollectionExtensions
{
    /// <summary>Registers <see cref="INetnsRunner"/> (singleton, <paramref name="runnerThreads"/> dedicated threads) and <see cref="IRtNetlinkFactory"/>.</summary>
    public static IServiceCollection AddKuryrNetlink(this IServiceCollection services, int runnerThreads = 4)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(runnerThreads);
        services.TryAddSingleton<INetnsRunner>(sp => new NetnsRunner(sp.GetService<ILogger<NetnsRunner>>(), runnerThreads));
        services.TryAddSingleton<IRtNetlinkFactory>(sp => new RtNetlinkFactory(sp.GetRequiredService<INetnsRunner>(), sp.GetService<ILoggerFactory>()));
        return services;
    }

    /// <summary>A runner and factory without DI (tools, tests).</summary>
    public static (INetnsRunner Runner, IRtNetlinkFactory Factory) CreateStandalone(ILoggerFactory? loggerFactory = null, int runnerThreads = 4)
    {
        var runner = new NetnsRunner(loggerFactory?.CreateLogger<NetnsRunner>(), runnerThreads);
        return (runner, new RtNetlinkFactory(runner, loggerFactory));
    }
}
