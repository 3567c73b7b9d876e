using System.ComponentModel;
using Microsoft.Extensions.Configuration;

namespace Kuryr.Config.Options;

/// <summary><c>[pool_manager]</c>: the pool manager API (enabled by <c>[kubernetes] enable_manager</c>).</summary>
[KuryrSection("pool_manager")]
public sealed class PoolManagerOptions
{
    [ConfigurationKeyName("sock_file"), KuryrFormat(KuryrValueFormat.AbsolutePath)]
    [Description("Unix socket of the pool manager API.")]
    public string SockFile { get; set; } = "/run/kuryr/kuryr_manage.sock";
}
