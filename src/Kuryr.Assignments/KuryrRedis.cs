using Kuryr.Config.Options;
using StackExchange.Redis;

namespace Kuryr.Assignments;

/// <summary>The Redis connection of kuryr-controller and kuryr-agent.</summary>
public static class KuryrRedis
{
    /// <summary>
    /// Connects to <c>[redis]</c>: every endpoint, password (empty: none), database and connect
    /// timeout; does not fail when Redis is down at start (it reconnects in the background).
    /// </summary>
    public static ConnectionMultiplexer Connect(RedisOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var config = new ConfigurationOptions
        {
            Password = string.IsNullOrEmpty(options.Password) ? null : options.Password,
            DefaultDatabase = options.Database,
            ConnectTimeout = (int)options.ConnectTimeout.TotalMilliseconds,
            AbortOnConnectFail = false,
        };
        foreach (var endpoint in options.Endpoints)
        {
            config.EndPoints.Add(endpoint);
        }

        return ConnectionMultiplexer.Connect(config);
    }
}
