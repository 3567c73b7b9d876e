using System.Text.Json.Serialization;

namespace Kuryr.Cni.Spec.Versions;

/// <summary>The CNI specification versions kuryr-cni speaks, and how their result formats group.</summary>
public static class CniVersions
{
    public const string V031 = "0.3.1";
    public const string V040 = "0.4.0";
    public const string V100 = "1.0.0";
    public const string V110 = "1.1.0";

    /// <summary>The newest version: what VERSION answers when asked nothing in particular.</summary>
    public const string Latest = V110;

    /// <summary>What VERSION reports, oldest first.</summary>
    public static IReadOnlyList<string> Supported { get; } = [V031, V040, V100, V110];

    /// <summary>Versions whose <em>prevResult</em> can be read (0.3.0 has 0.3.1's result format).</summary>
    public static IReadOnlyList<string> ReadableResults { get; } = ["0.3.0", V031, V040, V100, V110];

    public static bool IsSupported(string? version) => version is not null && Supported.Contains(version, StringComparer.Ordinal);

    /// <summary>0.3.x and 0.4.0 results carry <c>ips[].version</c>; 1.x results do not.</summary>
    public static bool HasIpVersionField(string version) => version.StartsWith("0.", StringComparison.Ordinal);

    /// <summary>STATUS and GC exist from 1.1.0 on.</summary>
    public static bool HasStatusAndGc(string version) => string.Equals(version, V110, StringComparison.Ordinal);

    /// <summary>CHECK exists from 0.4.0 on.</summary>
    public static bool HasCheck(string version) => !string.Equals(version, V031, StringComparison.Ordinal);
}

/// <summary>The VERSION command's answer.</summary>
public sealed class CniVersionResult
{
    [JsonPropertyName("cniVersion")]
    public required string CniVersion { get; init; }

    [JsonPropertyName("supportedVersions")]
    public required IReadOnlyList<string> SupportedVersions { get; init; }

    public static CniVersionResult For(string? requested) => new()
    {
        CniVersion = CniVersions.IsSupported(requested) ? requested! : CniVersions.Latest,
        SupportedVersions = CniVersions.Supported,
    };
}
