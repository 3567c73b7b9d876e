using Kuryr.Config.Environment;
using Kuryr.Config.Ini;

namespace Microsoft.Extensions.Configuration;

/// <summary>Adds <c>kuryr.conf</c> and its <c>KURYR_*</c> environment overrides to a configuration builder.</summary>
public static class KuryrConfigurationBuilderExtensions
{
    /// <summary>Adds an oslo.config-style INI file (e.g. <c>/etc/kuryr/kuryr.conf</c>).</summary>
    public static IConfigurationBuilder AddKuryrIniFile(this IConfigurationBuilder builder, string path, bool optional = false)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrEmpty(path);
        return builder.Add(new KuryrIniConfigurationSource { Path = path, Optional = optional });
    }

    /// <summary>Adds INI text; <paramref name="name"/> stands for the file in messages.</summary>
    public static IConfigurationBuilder AddKuryrIniText(this IConfigurationBuilder builder, string text, string name = "kuryr.conf")
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(text);
        return builder.Add(new KuryrIniConfigurationSource { Path = name, Text = text });
    }

    /// <summary>
    /// Adds <c>KURYR_&lt;SECTION&gt;__&lt;OPTION&gt;</c> variables (from <paramref name="variables"/>,
    /// or the process environment when null). Add it after the file so it overrides the file.
    /// </summary>
    public static IConfigurationBuilder AddKuryrEnvironmentVariables(
        this IConfigurationBuilder builder, IReadOnlyDictionary<string, string>? variables = null, string prefix = KuryrEnvironmentConfigurationProvider.DefaultPrefix)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(prefix);
        return builder.Add(new KuryrEnvironmentConfigurationSource { Variables = variables, Prefix = prefix });
    }
}
