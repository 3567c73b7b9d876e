using Kuryr.Config;
using Kuryr.Config.Options;

namespace Kuryr.PoolCtl.Configuration;

/// <summary>
/// What kuryr-poolctl needs from the controller's <c>kuryr.conf</c>: <c>[redis]</c> (endpoints,
/// password, database, key_prefix, connect_timeout) and <c>[pool_manager] sock_file</c>, loaded with
/// the same loader as the controller (<see cref="KuryrConfig.Load(string?, IReadOnlyDictionary{string, string}?, Microsoft.Extensions.Logging.ILogger?, KuryrComponent)"/>,
/// <c>KURYR_SECTION__OPTION</c> variables override the file), then <c>--redis</c> / <c>--socket</c>.
/// </summary>
internal sealed record PoolCtlSettings(RedisOptions Redis, string SocketPath, string? ConfigFile)
{
    /// <summary>
    /// Loads <paramref name="configFile"/>; when it is null the default <c>/etc/kuryr/kuryr.conf</c>
    /// is read if it exists, else Kuryr's defaults apply. Throws a usage <see cref="PoolCtlException"/>
    /// naming the file, option or override at fault.
    /// </summary>
    public static PoolCtlSettings Load(string? configFile, string? redisOverride, string? socketOverride, IReadOnlyDictionary<string, string>? environment)
    {
        string? path = configFile;
        if (path is null && File.Exists(KuryrConfig.DefaultPath))
        {
            path = KuryrConfig.DefaultPath;
        }

        if (path is not null && !File.Exists(path))
        {
            throw PoolCtlException.Usage($"configuration file {path} not found (--config-file)");
        }

        KuryrConfig config;
        try
        {
            config = KuryrConfig.Load(path, environment);
        }
        catch (KuryrConfigException e)
        {
            throw PoolCtlException.Usage($"invalid configuration {path ?? "(defaults)"}: {e.Message}");
        }

        var redis = config.Redis;
        if (redisOverride is not null)
        {
            redis.Endpoints = ParseEndpoints(redisOverride);
        }

        var socket = config.PoolManager.SockFile;
        if (socketOverride is not null)
        {
            if (string.IsNullOrWhiteSpace(socketOverride))
            {
                throw PoolCtlException.Usage("--socket: the path of the management socket must not be empty");
            }

            socket = Path.GetFullPath(socketOverride);
        }

        return new PoolCtlSettings(redis, socket, path);
    }

    /// <summary>Parses <c>host:port[,host:port...]</c> of <c>--redis</c>.</summary>
    internal static List<string> ParseEndpoints(string value)
    {
        var endpoints = new List<string>();
        foreach (var part in value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var colon = part.LastIndexOf(':');
            if (colon <= 0 || !int.TryParse(part.AsSpan(colon + 1), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var port)
                || port is < 1 or > 65535)
            {
                throw PoolCtlException.Usage($"--redis \"{part}\": expected HOST:PORT (port 1..65535)");
            }

            endpoints.Add(part);
        }

        return endpoints.Count > 0 ? endpoints : throw PoolCtlException.Usage("--redis: expected HOST:PORT[,HOST:PORT...]");
    }
}
