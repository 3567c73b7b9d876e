using Kuryr.Cni.Spec.Errors;

namespace Kuryr.Cni.Spec.Invocation;

/// <summary>
/// <c>CNI_ARGS</c>: <c>K1=V1;K2=V2</c>. Kubernetes runtimes pass <c>IgnoreUnknown=1;K8S_POD_NAMESPACE=..;
/// K8S_POD_NAME=..;K8S_POD_INFRA_CONTAINER_ID=..;K8S_POD_UID=..</c>. kuryr-cni knows every key it needs and
/// keeps the others (it never refuses unknown keys: the agent decides), so IgnoreUnknown only is recorded.
/// </summary>
public sealed class CniArgs
{
    public const string PodNamespaceKey = "K8S_POD_NAMESPACE";
    public const string PodNameKey = "K8S_POD_NAME";
    public const string PodUidKey = "K8S_POD_UID";
    public const string InfraContainerIdKey = "K8S_POD_INFRA_CONTAINER_ID";
    public const string IgnoreUnknownKey = "IgnoreUnknown";

    /// <summary>Bigger CNI_ARGS are refused: no runtime passes more than a few hundred bytes.</summary>
    public const int MaxLength = 64 * 1024;

    private CniArgs(IReadOnlyDictionary<string, string> values)
    {
        Values = values;
    }

    public static CniArgs Empty { get; } = new(new Dictionary<string, string>(StringComparer.Ordinal));

    /// <summary>Every pair, in the order given (the last one wins for a repeated key).</summary>
    public IReadOnlyDictionary<string, string> Values { get; }

    public string? PodNamespace => Get(PodNamespaceKey);

    public string? PodName => Get(PodNameKey);

    public string? PodUid => Get(PodUidKey);

    public string? InfraContainerId => Get(InfraContainerIdKey);

    /// <summary><c>IgnoreUnknown</c> is <c>1</c> or <c>true</c> (any case), as libcni reads it.</summary>
    public bool IgnoreUnknown => Get(IgnoreUnknownKey) is { } v && (v == "1" || v.Equals("true", StringComparison.OrdinalIgnoreCase));

    public string? Get(string key) => Values.TryGetValue(key, out var v) ? v : null;

    /// <summary>Parses <c>CNI_ARGS</c>; an empty or absent value is no arguments. Errors are code 4 naming CNI_ARGS.</summary>
    public static CniArgs Parse(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return Empty;
        }

        if (text.Length > MaxLength)
        {
            throw new CniException(CniErrorCodes.InvalidEnvironment, $"CNI_ARGS is {text.Length} characters long, more than the {MaxLength} allowed");
        }

        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        var index = 0;
        foreach (var pair in text.Split(';'))
        {
            index++;
            if (pair.Length == 0)
            {
                // A trailing ';' (or ';;') is harmless; libcni tolerates it too.
                continue;
            }

            var eq = pair.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0)
            {
                throw new CniException(CniErrorCodes.InvalidEnvironment,
                    $"CNI_ARGS: pair {index} \"{Truncate(pair)}\" is not KEY=VALUE");
            }

            var key = pair[..eq];
            if (key.Any(c => char.IsWhiteSpace(c) || char.IsControl(c)))
            {
                throw new CniException(CniErrorCodes.InvalidEnvironment,
                    $"CNI_ARGS: key \"{Truncate(key)}\" of pair {index} contains whitespace or control characters");
            }

            values[key] = pair[(eq + 1)..];
        }

        return new CniArgs(values);
    }

    /// <summary>Writes the pairs back as <c>K=V;K=V</c>.</summary>
    public override string ToString() => string.Join(';', Values.Select(kv => kv.Key + "=" + kv.Value));

    internal static string Truncate(string s) => s.Length <= 64 ? s : string.Concat(s.AsSpan(0, 64), "...");
}
