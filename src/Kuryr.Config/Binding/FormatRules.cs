using System.Globalization;
using Kuryr.Config.Options;

namespace Kuryr.Config.Binding;

/// <summary>Checks and describes <see cref="KuryrValueFormat"/>s.</summary>
internal static class FormatRules
{
    public static string Describe(KuryrValueFormat format) => format switch
    {
        KuryrValueFormat.Uuid => "a UUID",
        KuryrValueFormat.HostPort => "host:port (port 1-65535, IPv6 host in brackets)",
        KuryrValueFormat.AbsolutePath => "an absolute path",
        KuryrValueFormat.HttpUrl => "an absolute http:// or https:// URL",
        KuryrValueFormat.InterfaceNamePrefix => "an interface name prefix (1-12 characters, no '/', ':' or whitespace)",
        KuryrValueFormat.InterfaceName => "an interface name (1-15 characters, no '/', ':' or whitespace)",
        KuryrValueFormat.NeutronTag => "a Neutron tag (1-60 characters, no ',' or '/')",
        KuryrValueFormat.Token => "a non-empty name without whitespace",
        _ => format.ToString(),
    };

    public static bool IsValid(KuryrValueFormat format, string value) => format switch
    {
        KuryrValueFormat.Uuid => Guid.TryParseExact(value, "D", out _) || Guid.TryParseExact(value, "N", out _),
        KuryrValueFormat.HostPort => IsHostPort(value),
        KuryrValueFormat.AbsolutePath => value.Length > 0 && value[0] == '/' && !value.Contains('\0', StringComparison.Ordinal),
        KuryrValueFormat.HttpUrl => Uri.TryCreate(value, UriKind.Absolute, out var uri)
            && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps) && uri.Host.Length > 0,
        KuryrValueFormat.InterfaceNamePrefix => IsInterfaceName(value, 12),
        KuryrValueFormat.InterfaceName => IsInterfaceName(value, 15),
        KuryrValueFormat.NeutronTag => value.Length is > 0 and <= 60 && !value.Contains(',', StringComparison.Ordinal) && !value.Contains('/', StringComparison.Ordinal),
        KuryrValueFormat.Token => value.Length > 0 && !value.Any(char.IsWhiteSpace),
        _ => true,
    };

    private static bool IsInterfaceName(string value, int max) =>
        value.Length > 0 && value.Length <= max && value != "." && value != ".."
        && !value.Any(c => c is '/' or ':' or '\0' || char.IsWhiteSpace(c) || char.IsControl(c));

    private static bool IsHostPort(string value)
    {
        var colon = value.LastIndexOf(':');
        if (colon <= 0 || colon == value.Length - 1)
        {
            return false;
        }

        var host = value[..colon];
        if (host.StartsWith('['))
        {
            if (!host.EndsWith(']') || host.Length < 3 || !System.Net.IPAddress.TryParse(host[1..^1], out _))
            {
                return false;
            }
        }
        else if (host.Contains(':', StringComparison.Ordinal) || host.Any(char.IsWhiteSpace))
        {
            return false;
        }

        return int.TryParse(value[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var port) && port is > 0 and <= 65535;
    }
}
