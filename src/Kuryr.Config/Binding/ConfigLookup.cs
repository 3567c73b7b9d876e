using Kuryr.Config.Ini;
using Microsoft.Extensions.Configuration;

namespace Kuryr.Config.Binding;

/// <summary>Reads <c>section:option</c> from a configuration and says where the value came from.</summary>
internal sealed class ConfigLookup(IConfiguration configuration)
{
    public const string DefaultLocation = "(default)";

    public IConfiguration Configuration { get; } = configuration;

    public string? Get(string section, string option) => Configuration[ConfigurationPath.Combine(section, option)];

    /// <summary>Where the effective value of <c>[section] option</c> came from.</summary>
    public string Origin(string section, string option)
    {
        if (Configuration is IConfigurationRoot root)
        {
            var key = ConfigurationPath.Combine(section, option);
            foreach (var provider in root.Providers.Reverse())
            {
                if (provider.TryGet(key, out _))
                {
                    return provider is IKuryrConfigurationOrigin origin
                        ? origin.DescribeOrigin(section, option) ?? provider.ToString() ?? "configuration"
                        : provider.ToString() ?? "configuration";
                }
            }

            return DefaultLocation;
        }

        return Get(section, option) is null ? DefaultLocation : "configuration";
    }
}
