using Microsoft.Extensions.Configuration;

namespace Kuryr.Config.Ini;

/// <summary>
/// An oslo.config-compatible INI file (<c>kuryr.conf</c>) as an <see cref="IConfigurationSource"/>:
/// <c>[section] option = value</c> becomes the key <c>section:option</c>.
/// </summary>
public sealed class KuryrIniConfigurationSource : IConfigurationSource
{
    /// <summary>Path of the file to read.</summary>
    public required string Path { get; init; }

    /// <summary>When true a missing file yields no values instead of an error.</summary>
    public bool Optional { get; init; }

    /// <summary>Text to parse instead of reading <see cref="Path"/> (tests, embedded configs);
    /// <see cref="Path"/> is then only the name used in messages.</summary>
    public string? Text { get; init; }

    public IConfigurationProvider Build(IConfigurationBuilder builder) => new KuryrIniConfigurationProvider(this);
}
