using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Kuryr.Config.Options;
using Microsoft.Extensions.Options;

namespace Kuryr.Agent.Cni;

/// <summary>What the agent plugged for one attachment (container + interface), kept so DEL and GC work after a restart and without the KuryrPort.</summary>
/// <param name="ContainerId">CNI_CONTAINERID.</param>
/// <param name="IfName">CNI_IFNAME.</param>
/// <param name="Netns">CNI_NETNS.</param>
/// <param name="PodNamespace">Pod namespace.</param>
/// <param name="PodName">Pod name.</param>
/// <param name="PodUid">Pod UID.</param>
/// <param name="Vifs">The status.vifs map plugged (<c>ifname → {default, vif}</c>).</param>
public sealed record PlugRecord(
    [property: JsonPropertyName("containerId")] string ContainerId,
    [property: JsonPropertyName("ifName")] string IfName,
    [property: JsonPropertyName("netns")] string? Netns,
    [property: JsonPropertyName("podNamespace")] string PodNamespace,
    [property: JsonPropertyName("podName")] string PodName,
    [property: JsonPropertyName("podUid")] string PodUid,
    [property: JsonPropertyName("vifs")] JsonObject Vifs);

/// <summary>The agent's local record of plugged attachments.</summary>
public interface IPlugRecords
{
    /// <summary>Writes (replaces) the record, atomically (temp file + rename).</summary>
    Task SaveAsync(PlugRecord record, CancellationToken cancellationToken);

    /// <summary>The record of this attachment, or null.</summary>
    Task<PlugRecord?> GetAsync(string containerId, string ifName, CancellationToken cancellationToken);

    /// <summary>Removes the record (no error when absent).</summary>
    void Remove(string containerId, string ifName);

    /// <summary>Every record; unreadable files are skipped and reported in <paramref name="problems"/>.</summary>
    Task<IReadOnlyList<PlugRecord>> ListAsync(List<string> problems, CancellationToken cancellationToken);
}

/// <summary>One JSON file per attachment under <c>[cni_daemon] state_path</c>/plugged (mode 0600).</summary>
internal sealed class FilePlugRecords(IOptions<CniDaemonOptions> options) : IPlugRecords
{
    private readonly string _dir = Path.Combine(options.Value.StatePath, "plugged");

    public async Task SaveAsync(PlugRecord record, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(record);
        Directory.CreateDirectory(_dir);
        var path = PathOf(record.ContainerId, record.IfName);
        var temp = path + ".tmp-" + Guid.NewGuid().ToString("N");
        var json = JsonSerializer.Serialize(record, AgentCniJsonContext.Default.PlugRecord);
        await File.WriteAllTextAsync(temp, json, cancellationToken).ConfigureAwait(false);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(temp, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        File.Move(temp, path, overwrite: true);
    }

    public async Task<PlugRecord?> GetAsync(string containerId, string ifName, CancellationToken cancellationToken)
    {
        var path = PathOf(containerId, ifName);
        try
        {
            var json = await File.ReadAllTextAsync(path, cancellationToken).ConfigureAwait(false);
            return JsonSerializer.Deserialize(json, AgentCniJsonContext.Default.PlugRecord);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException or JsonException)
        {
            return null;
        }
    }

    public void Remove(string containerId, string ifName)
    {
        try
        {
            File.Delete(PathOf(containerId, ifName));
        }
        catch (DirectoryNotFoundException)
        {
            // Nothing was ever recorded on this node (a DEL before any ADD): nothing to remove.
        }
    }

    public async Task<IReadOnlyList<PlugRecord>> ListAsync(List<string> problems, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(problems);
        var result = new List<PlugRecord>();
        if (!Directory.Exists(_dir))
        {
            return result;
        }

        foreach (var file in Directory.EnumerateFiles(_dir, "*.json"))
        {
            try
            {
                var json = await File.ReadAllTextAsync(file, cancellationToken).ConfigureAwait(false);
                if (JsonSerializer.Deserialize(json, AgentCniJsonContext.Default.PlugRecord) is { } record)
                {
                    result.Add(record);
                }
            }
            catch (Exception e) when (e is IOException or JsonException)
            {
                problems.Add(file + ": " + e.Message);
            }
        }

        return result;
    }

    /// <summary>File name: container id and ifname, hex-encoded so no input can escape the directory.</summary>
    private string PathOf(string containerId, string ifName) =>
        Path.Combine(_dir, Convert.ToHexStringLower(Encoding.UTF8.GetBytes(containerId)) + "_" + Convert.ToHexStringLower(Encoding.UTF8.GetBytes(ifName)) + ".json");
}

[JsonSerializable(typeof(PlugRecord))]
internal sealed partial class AgentCniJsonContext : JsonSerializerContext;
