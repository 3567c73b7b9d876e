using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

namespace Kuryr.Config.Tests.Support;

/// <summary>Loads a kuryr.conf text (as file "kuryr.conf") plus given environment variables only.</summary>
internal static class Conf
{
    public static readonly IReadOnlyDictionary<string, string> NoEnvironment = new Dictionary<string, string>();

    public static IConfigurationRoot Build(string text, IReadOnlyDictionary<string, string>? environment = null) =>
        new ConfigurationBuilder().AddKuryrIniText(text).AddKuryrEnvironmentVariables(environment ?? NoEnvironment).Build();

    public static KuryrConfig Load(string text, IReadOnlyDictionary<string, string>? environment = null, ILogger? logger = null, KuryrComponent component = KuryrComponent.None) =>
        KuryrConfig.FromConfiguration(Build(text, environment), logger, component);

    public static KuryrConfigException Fails(string text, IReadOnlyDictionary<string, string>? environment = null, KuryrComponent component = KuryrComponent.None) =>
        Assert.Throws<KuryrConfigException>(() => Load(text, environment, component: component));

    public static Dictionary<string, string> Env(params (string Name, string Value)[] vars) => vars.ToDictionary(v => v.Name, v => v.Value);
}
