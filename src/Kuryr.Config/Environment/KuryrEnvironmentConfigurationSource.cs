using Microsoft.Extensions.Configuration;

namespace Kuryr.Config.Environment;

/// <summary>
/// Environment variables <c>KURYR_&lt;SECTION&gt;__&lt;OPTION&gt;</c> (case-insensitive, e.g.
/// <c>KURYR_VIF_POOL__PORTS_POOL_MIN=3</c>, <c>KURYR_DEFAULT__DEBUG=true</c>) as configuration keys
/// <c>section:option</c>. Added after the INI file, they override it.
/// </summary>
public sealed class KuryrEnvironmentConfigurationSource : IConfigurationSource
{
    /// <summary>The variable name prefix (default <c>KURYR_</c>).</summary>
    public string Prefix { get; init; } = KuryrEnvironmentConfigurationProvider.DefaultPrefix;

    /// <summary>Variables to read instead of the process environment (tests, CLIs).</summary>
    public IReadOnlyDictionary<string, string>? Variables { get; init; }

    public IConfigurationProvider Build(IConfigurationBuilder builder) => new KuryrEnvironmentConfigurationProvider(this);
}
