using System.Text;
using System.Text.Json.Nodes;
using Kuryr.LocalCluster.HostNet;

namespace Kuryr.LocalCluster.Kubelet;

/// <summary>The pod a CNI chain runs for.</summary>
public sealed record CniPod(string Namespace, string Name, string Uid, string ContainerId, string Netns, string IfName = "eth0");

/// <summary>The outcome of a chain: the last plugin's result, or which plugin failed and why.</summary>
public sealed record CniChainResult(bool Ok, JsonObject? Result, string? Error)
{
    /// <summary>Seconds each plugin's ADD took, in chain order (the plugins that ran).</summary>
    public IReadOnlyList<(string Plugin, double Seconds)> Steps { get; init; } = [];

    /// <summary>The first IP of the result without its prefix length (null: none).</summary>
    public string? FirstIp => Result?["ips"]?.AsArray().FirstOrDefault()?["address"]?.GetValue<string>() is { } a ? a.Split('/')[0] : null;
}

/// <summary>
/// Executes a CNI network configuration list the way containerd's libcni does: every plugin of the
/// list in order for ADD (reverse order for DEL), CNI_* environment, the plugin's own config with
/// <c>cniVersion</c> and <c>name</c> of the list injected, <c>prevResult</c> from the previous plugin
/// and <c>runtimeConfig</c> for the capabilities it declares.
/// </summary>
public sealed class CniChain(JsonObject conflist, string pluginDir)
{
    public JsonObject Conflist { get; } = conflist;

    /// <summary>The local cluster's chain for one node: kuryr-cni (its agent's socket), tuning, portmap.</summary>
    public static JsonObject NodeConflist(string agentSocket) => new()
    {
        ["cniVersion"] = "1.0.0",
        ["name"] = "kuryr",
        ["plugins"] = new JsonArray
        {
            new JsonObject { ["type"] = "kuryr-cni", ["socket"] = agentSocket },
            new JsonObject { ["type"] = "tuning", ["sysctl"] = new JsonObject { ["net.ipv4.conf.eth0.accept_local"] = "1" } },
            new JsonObject { ["type"] = "portmap", ["snat"] = false, ["capabilities"] = new JsonObject { ["portMappings"] = true } },
        },
    };

    /// <summary>The stdin config of plugin <paramref name="index"/> (libcni's buildOneConfig).</summary>
    public JsonObject PluginConfig(int index, JsonNode? prevResult)
    {
        var plugin = Conflist["plugins"]!.AsArray()[index]!.AsObject().DeepClone().AsObject();
        plugin["cniVersion"] = Conflist["cniVersion"]!.DeepClone();
        plugin["name"] = Conflist["name"]!.DeepClone();
        if (prevResult is not null)
        {
            plugin["prevResult"] = prevResult.DeepClone();
        }

        if (plugin["capabilities"] is JsonObject caps)
        {
            var runtime = new JsonObject();
            foreach (var (cap, enabled) in caps)
            {
                if (enabled?.GetValue<bool>() == true && cap == "portMappings")
                {
                    runtime["portMappings"] = new JsonArray();
                }
            }

            plugin.Remove("capabilities");
            if (runtime.Count > 0)
            {
                plugin["runtimeConfig"] = runtime;
            }
        }

        return plugin;
    }

    public Dictionary<string, string> Environment(string command, CniPod pod)
    {
        ArgumentNullException.ThrowIfNull(pod);
        return new Dictionary<string, string>
        {
            ["CNI_COMMAND"] = command,
            ["CNI_CONTAINERID"] = pod.ContainerId,
            ["CNI_NETNS"] = pod.Netns,
            ["CNI_IFNAME"] = pod.IfName,
            ["CNI_PATH"] = pluginDir,
            ["CNI_ARGS"] = $"IgnoreUnknown=1;K8S_POD_NAMESPACE={pod.Namespace};K8S_POD_NAME={pod.Name};K8S_POD_INFRA_CONTAINER_ID={pod.ContainerId};K8S_POD_UID={pod.Uid}",
        };
    }

    /// <summary>ADD through every plugin; stops at the first failure.</summary>
    public async Task<CniChainResult> AddAsync(CniPod pod, CancellationToken cancellationToken)
    {
        JsonNode? prev = null;
        var plugins = Conflist["plugins"]!.AsArray();
        var steps = new List<(string, double)>();
        for (var i = 0; i < plugins.Count; i++)
        {
            var type = plugins[i]!["type"]!.GetValue<string>();
            var started = System.Diagnostics.Stopwatch.GetTimestamp();
            var r = await ExecAsync(type, "ADD", pod, PluginConfig(i, prev), cancellationToken).ConfigureAwait(false);
            steps.Add((type, System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalSeconds));
            if (!r.Ok)
            {
                return new CniChainResult(false, null, $"{type} ADD: {Describe(r)}") { Steps = steps };
            }

            try
            {
                prev = JsonNode.Parse(r.Stdout);
            }
            catch (System.Text.Json.JsonException e)
            {
                return new CniChainResult(false, null, $"{type} ADD: result is not JSON ({e.Message})") { Steps = steps };
            }
        }

        return new CniChainResult(true, prev?.AsObject(), null) { Steps = steps };
    }

    /// <summary>DEL through every plugin in reverse order with the ADD's result; every plugin runs, errors are collected.</summary>
    public async Task<CniChainResult> DelAsync(CniPod pod, JsonObject? addResult, CancellationToken cancellationToken)
    {
        var plugins = Conflist["plugins"]!.AsArray();
        var errors = new List<string>();
        for (var i = plugins.Count - 1; i >= 0; i--)
        {
            var type = plugins[i]!["type"]!.GetValue<string>();
            var r = await ExecAsync(type, "DEL", pod, PluginConfig(i, addResult), cancellationToken).ConfigureAwait(false);
            if (!r.Ok)
            {
                errors.Add($"{type} DEL: {Describe(r)}");
            }
        }

        return new CniChainResult(errors.Count == 0, null, errors.Count == 0 ? null : string.Join("; ", errors));
    }

    private async Task<ShellResult> ExecAsync(string type, string command, CniPod pod, JsonObject config, CancellationToken cancellationToken)
    {
        var path = Path.Combine(pluginDir, type);
        if (!File.Exists(path))
        {
            return new ShellResult(127, "", $"plugin {path} not found");
        }

        return await Shell.RunAsync(path, [], Environment(command, pod), Encoding.UTF8.GetBytes(config.ToJsonString()),
            TimeSpan.FromSeconds(120), cancellationToken).ConfigureAwait(false);
    }

    private static string Describe(ShellResult r)
    {
        try
        {
            var error = JsonNode.Parse(r.Stdout);
            if (error?["msg"] is { } msg)
            {
                return $"code {error["code"]}: {msg}{(error["details"] is { } d ? " (" + d + ")" : "")}";
            }
        }
        catch (System.Text.Json.JsonException)
        {
        }

        return r.ToString();
    }
}
