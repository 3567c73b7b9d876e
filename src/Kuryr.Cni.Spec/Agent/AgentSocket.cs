using Kuryr.Cni.Spec.Config;
using Kuryr.Cni.Spec.Errors;

namespace Kuryr.Cni.Spec.Agent;

/// <summary>
/// Where the agent listens: the network config's <c>socket</c>, else <c>[cni_daemon] socket_path</c>
/// of the kuryr.conf named by <c>kuryr_conf</c> (Kuryr's key), else <see cref="AgentProtocol.DefaultSocketPath"/>.
/// kuryr.conf is scanned for that one key only (a full INI parse would cost every CNI call).
/// </summary>
public static class AgentSocket
{
    public static string Resolve(NetworkConfig? config)
    {
        if (config?.Socket is { } socket)
        {
            return socket;
        }

        if (config?.KuryrConf is { Length: > 0 } conf)
        {
            return ReadSocketPath(conf) ?? AgentProtocol.DefaultSocketPath;
        }

        return AgentProtocol.DefaultSocketPath;
    }

    /// <summary><c>[cni_daemon] socket_path</c> from an oslo.config style file; null when absent. A missing file is not an error (Kuryr's conflist names it even where only the agent has it).</summary>
    public static string? ReadSocketPath(string kuryrConfPath)
    {
        string[] lines;
        try
        {
            lines = File.ReadAllLines(kuryrConfPath);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new CniException(CniErrorCodes.IoFailure, $"kuryr_conf \"{kuryrConfPath}\" cannot be read", ex.Message);
        }

        var inSection = false;
        foreach (var raw in lines)
        {
            var line = raw.Trim();
            if (line.Length == 0 || line[0] is '#' or ';')
            {
                continue;
            }

            if (line[0] == '[')
            {
                inSection = line.Equals("[cni_daemon]", StringComparison.Ordinal);
                continue;
            }

            var eq = line.IndexOf('=', StringComparison.Ordinal);
            if (inSection && eq > 0 && line[..eq].Trim().Equals("socket_path", StringComparison.Ordinal))
            {
                var value = line[(eq + 1)..].Trim();
                if (!value.StartsWith('/'))
                {
                    throw new CniException(CniErrorCodes.InvalidNetworkConfig, $"kuryr_conf \"{kuryrConfPath}\": [cni_daemon] socket_path \"{value}\" is not an absolute path");
                }

                return value;
            }
        }

        return null;
    }
}
