using System.Text.Json.Serialization;

namespace Kuryr.Cni.Spec.Results;

/// <summary>
/// A CNI ADD result in its 1.x form, the internal form everything converts through (as libcni's
/// <c>types/100</c>). <see cref="CniResultConverter"/> writes it for 0.3.1 / 0.4.0 configs (adding
/// <c>ips[].version</c>) and reads prevResults of 0.3.x, 0.4.0, 1.0.0 and 1.1.0.
/// </summary>
public sealed class CniResult
{
    [JsonPropertyName("cniVersion")]
    public string? CniVersion { get; set; }

    [JsonPropertyName("interfaces")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public List<CniInterface>? Interfaces { get; set; }

    [JsonPropertyName("ips")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public List<CniIpConfig>? Ips { get; set; }

    [JsonPropertyName("routes")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public List<CniRoute>? Routes { get; set; }

    [JsonPropertyName("dns")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public CniDns? Dns { get; set; }
}

/// <summary><c>interfaces[]</c>. <see cref="Sandbox"/> is the netns path for container interfaces, empty for host ones.</summary>
public sealed class CniInterface
{
    [JsonPropertyName("name")]
    public string Name { get; set; } = "";

    [JsonPropertyName("mac")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Mac { get; set; }

    /// <summary>1.1.0 only.</summary>
    [JsonPropertyName("mtu")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? Mtu { get; set; }

    [JsonPropertyName("sandbox")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Sandbox { get; set; }

    /// <summary>1.1.0 only.</summary>
    [JsonPropertyName("socketPath")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? SocketPath { get; set; }

    /// <summary>1.1.0 only.</summary>
    [JsonPropertyName("pciID")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? PciId { get; set; }
}

/// <summary><c>ips[]</c>: <see cref="Address"/> is CIDR notation with the host's address (<c>10.0.0.5/24</c>).</summary>
public sealed class CniIpConfig
{
    [JsonPropertyName("address")]
    public string Address { get; set; } = "";

    [JsonPropertyName("gateway")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Gateway { get; set; }

    /// <summary>Index into <see cref="CniResult.Interfaces"/>.</summary>
    [JsonPropertyName("interface")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? Interface { get; set; }
}

/// <summary><c>routes[]</c>. The last four fields are 1.1.0 only.</summary>
public sealed class CniRoute
{
    [JsonPropertyName("dst")]
    public string Dst { get; set; } = "";

    [JsonPropertyName("gw")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Gw { get; set; }

    [JsonPropertyName("mtu")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? Mtu { get; set; }

    [JsonPropertyName("advmss")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? AdvMss { get; set; }

    [JsonPropertyName("priority")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? Priority { get; set; }

    [JsonPropertyName("table")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? Table { get; set; }

    [JsonPropertyName("scope")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? Scope { get; set; }
}

/// <summary><c>dns</c>.</summary>
public sealed class CniDns
{
    [JsonPropertyName("nameservers")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public List<string>? Nameservers { get; set; }

    [JsonPropertyName("domain")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Domain { get; set; }

    [JsonPropertyName("search")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public List<string>? Search { get; set; }

    [JsonPropertyName("options")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public List<string>? Options { get; set; }
}
