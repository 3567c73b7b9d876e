using System.Diagnostics;
using System.Text;
using System.Text.Json.Nodes;
using Kuryr.Cni.Spec.Config;
using Kuryr.Deployment.Tests.Support;

namespace Kuryr.Deployment.Tests.Cni;

/// <summary>cni/10-kuryr.conflist: kuryr-cni first, parsed by the project's CNI parser; the reference plugins accept their part.</summary>
public sealed class ConflistTests
{
    private static JsonObject Conflist() => JsonNode.Parse(File.ReadAllText(Repo.PathOf("cni", "10-kuryr.conflist")))!.AsObject();

    /// <summary>What a runtime gives one plugin of the list on stdin: its object plus the list's name and cniVersion.</summary>
    private static JsonObject PluginConfig(JsonObject list, int i)
    {
        var plugin = (JsonObject)list["plugins"]![i]!.DeepClone();
        plugin["name"] = list["name"]!.GetValue<string>();
        plugin["cniVersion"] = list["cniVersion"]!.GetValue<string>();
        return plugin;
    }

    [Fact]
    public void Kuryr_cni_comes_first_and_its_config_parses_with_the_cni_spec_library()
    {
        var list = Conflist();
        Assert.Equal("1.0.0", list["cniVersion"]!.GetValue<string>());
        var types = list["plugins"]!.AsArray().Select(p => p!["type"]!.GetValue<string>()).ToArray();
        Assert.Equal("kuryr-cni", types[0]);
        Assert.Contains("portmap", types);

        var config = NetworkConfig.Parse(Encoding.UTF8.GetBytes(PluginConfig(list, 0).ToJsonString()));
        Assert.Equal("kuryr-cni", config.Type);
        Assert.Equal("kuryr", config.Name);
        Assert.Equal("/run/kuryr/kuryr-agent.sock", config.Socket);
        Assert.Equal(150, config.TimeoutSeconds);
        Assert.False(config.Debug);
        Assert.True(list["plugins"]![1]!["capabilities"]!["portMappings"]!.GetValue<bool>());
    }

    [Fact]
    public async Task Every_reference_plugin_of_the_list_supports_its_cni_version()
    {
        var list = Conflist();
        for (var i = 1; i < list["plugins"]!.AsArray().Count; i++)
        {
            var type = list["plugins"]![i]!["type"]!.GetValue<string>();
            var plugin = Path.Combine(Environment.GetEnvironmentVariable("CNI_PLUGIN_DIR") ?? "/usr/lib/cni", type);
            Assert.True(File.Exists(plugin), $"reference plugin {type} not found at {plugin}");
            var psi = new ProcessStartInfo(plugin) { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
            psi.Environment["CNI_COMMAND"] = "VERSION";
            using var p = Process.Start(psi)!;
            await WriteStdinAsync(p, PluginConfig(list, i).ToJsonString());
            var stdout = await p.StandardOutput.ReadToEndAsync();
            await p.WaitForExitAsync();
            Assert.True(p.ExitCode == 0, $"{type} VERSION: exit {p.ExitCode} {stdout}");
            var versions = JsonNode.Parse(stdout)!["supportedVersions"]!.AsArray().Select(v => v!.GetValue<string>());
            Assert.Contains(list["cniVersion"]!.GetValue<string>(), versions);
        }
    }

    /// <summary>Writes a plugin's stdin; a plugin may answer VERSION and exit without reading it
    /// (EPIPE), which is not a failure: its exit code and output are what the tests check.</summary>
    internal static async Task WriteStdinAsync(Process p, string text)
    {
        try
        {
            await p.StandardInput.WriteAsync(text);
            p.StandardInput.Close();
        }
        catch (IOException)
        {
        }
    }
}
