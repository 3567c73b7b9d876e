using Kuryr.Config.Options;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Kuryr.Assignments;

/// <summary>Composition of the node VIF publication.</summary>
public static class AssignmentsServiceCollectionExtensions
{
    /// <summary>
    /// Adds <see cref="INodeVifPublisher"/> and <see cref="INodeVifReader"/> on the registered
    /// <see cref="IConnectionMultiplexer"/> (the pools' one in the controller), or a connection made
    /// from <c>[redis]</c> when none is registered. Key prefix and database from <c>[redis]</c>.
    /// </summary>
    public static IServiceCollection AddKuryrNodeVifAssignments(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddOptions();
        services.AddLogging();
        services.TryAddSingleton<IConnectionMultiplexer>(sp => KuryrRedis.Connect(sp.GetRequiredService<IOptions<RedisOptions>>().Value));
        services.TryAddSingleton<RedisNodeVifStore>();
        services.TryAddSingleton<INodeVifPublisher>(sp => sp.GetRequiredService<RedisNodeVifStore>());
        services.TryAddSingleton<INodeVifReader>(sp => sp.GetRequiredService<RedisNodeVifStore>());
        return services;
    }
}
