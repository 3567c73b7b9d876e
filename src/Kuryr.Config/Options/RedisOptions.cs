using System.ComponentModel;
using Microsoft.Extensions.Configuration;

namespace Kuryr.Config.Options;

/// <summary><c>[redis]</c> (Kuryr.Node only): the shared pool state.</summary>
[KuryrSection("redis")]
public sealed class RedisOptions
{
    [ConfigurationKeyName("endpoints"), KuryrFormat(KuryrValueFormat.HostPort), KuryrNodeOption]
    [Description("Redis endpoints as host:port.")]
    public IList<string> Endpoints { get; set; } = ["127.0.0.1:6379"];

    [ConfigurationKeyName("password"), KuryrSecret, KuryrNodeOption]
    [Description("Redis password (AUTH); empty for none.")]
    public string? Password { get; set; }

    [ConfigurationKeyName("database"), KuryrRange(0), KuryrNodeOption]
    [Description("Redis database number.")]
    public int Database { get; set; }

    [ConfigurationKeyName("key_prefix"), KuryrFormat(KuryrValueFormat.Token), KuryrNodeOption]
    [Description("Prefix of every Redis key (lets several clusters share one Redis).")]
    public string KeyPrefix { get; set; } = "kuryr";

    [ConfigurationKeyName("connect_timeout"), KuryrRange(1), KuryrNodeOption]
    [Description("Timeout (in seconds) of connecting to Redis.")]
    public int ConnectTimeoutSeconds { get; set; } = 5;

    /// <summary><see cref="ConnectTimeoutSeconds"/> as a <see cref="TimeSpan"/>.</summary>
    public TimeSpan ConnectTimeout => TimeSpan.FromSeconds(ConnectTimeoutSeconds);
}
