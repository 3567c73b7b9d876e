using Kuryr.Config.Binding;
using Kuryr.Config.Validation;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

namespace Kuryr.Config;

/// <summary>
/// Binds and validates every section, reports unknown sections/options once each, and throws one
/// <see cref="KuryrConfigException"/> listing every problem.
/// </summary>
internal sealed partial class KuryrConfigLoader(ILogger logger)
{
    public KuryrConfig Load(IConfiguration configuration, KuryrComponent component)
    {
        var lookup = new ConfigLookup(configuration);
        var diagnostics = new ConfigDiagnostics();

        var bound = new Dictionary<Type, BoundSection>();
        foreach (var section in KuryrOptionsCatalog.Sections)
        {
            bound[section.OptionsType] = KuryrOptionsBinder.Bind(section, lookup, diagnostics);
        }

        KuryrConfigValidator.Validate(bound, component, diagnostics);
        FindUnknown(lookup, diagnostics);
        Report(diagnostics);

        if (diagnostics.Problems.Count > 0)
        {
            throw new KuryrConfigException(diagnostics.Problems);
        }

        return new KuryrConfig(bound.ToDictionary(kv => kv.Key, kv => kv.Value.Instance), diagnostics.Warnings);
    }

    /// <summary>Every section/option present in the configuration that no options class maps.</summary>
    internal static void FindUnknown(ConfigLookup lookup, ConfigDiagnostics diagnostics)
    {
        foreach (var section in lookup.Configuration.GetChildren())
        {
            var descriptor = KuryrOptionsCatalog.FindSection(section.Key);
            var options = section.GetChildren().ToList();
            if (descriptor is null)
            {
                var location = options.Count > 0 ? lookup.Origin(section.Key, options[0].Key) : "configuration";
                if (KnownIgnoredOptions.IsIgnored(section.Key, null))
                {
                    diagnostics.Ignored.Add((section.Key, null, location));
                }
                else
                {
                    diagnostics.Warnings.Add(new ConfigWarning(ConfigWarningKind.UnknownSection, location, section.Key, null,
                        "unknown section; its options are ignored"));
                }

                continue;
            }

            foreach (var option in options)
            {
                if (descriptor.Find(option.Key) is not null && !option.GetChildren().Any())
                {
                    continue;
                }

                var location = lookup.Origin(section.Key, option.Key);
                if (KnownIgnoredOptions.IsIgnored(descriptor.Name, option.Key))
                {
                    diagnostics.Ignored.Add((descriptor.Name, option.Key, location));
                    continue;
                }

                var suggestion = Suggest(descriptor, option.Key);
                diagnostics.Warnings.Add(new ConfigWarning(ConfigWarningKind.UnknownOption, location, descriptor.Name, option.Key,
                    suggestion is null ? "unknown option; ignored" : $"unknown option; ignored (did you mean {suggestion}?)"));
            }
        }
    }

    private void Report(ConfigDiagnostics diagnostics)
    {
        foreach (var (section, option, location) in diagnostics.Ignored)
        {
            LogIgnored(logger, location, section, option ?? "*");
        }

        foreach (var w in diagnostics.Warnings)
        {
            switch (w.Kind)
            {
                case ConfigWarningKind.UnknownSection:
                    LogUnknownSection(logger, w.Location, w.Section);
                    break;
                case ConfigWarningKind.UnknownOption:
                    LogUnknownOption(logger, w.Location, w.Section, w.Option ?? string.Empty, w.Message);
                    break;
                case ConfigWarningKind.Deprecated:
                    LogDeprecated(logger, w.Location, w.Section, w.Option ?? string.Empty, w.Message);
                    break;
                default:
                    LogQuestionable(logger, w.Location, w.Section, w.Option ?? string.Empty, w.Message);
                    break;
            }
        }

        foreach (var p in diagnostics.Problems)
        {
            LogProblem(logger, p.Location, p.Section ?? string.Empty, p.Option ?? string.Empty, p.Reason);
        }
    }

    /// <summary>The closest known option name (edit distance at most 2), for "did you mean".</summary>
    internal static string? Suggest(KuryrSectionDescriptor section, string name)
    {
        string? best = null;
        var bestDistance = 3;
        foreach (var o in section.Options)
        {
            var d = Distance(name.ToLowerInvariant(), o.Name);
            if (d < bestDistance)
            {
                best = o.Name;
                bestDistance = d;
            }
        }

        return best;
    }

    /// <summary>Optimal string alignment distance (a swap of two neighbours counts as one edit).</summary>
    private static int Distance(string a, string b)
    {
        var d = new int[a.Length + 1, b.Length + 1];
        for (var i = 0; i <= a.Length; i++)
        {
            d[i, 0] = i;
        }

        for (var j = 0; j <= b.Length; j++)
        {
            d[0, j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                {
                    d[i, j] = Math.Min(d[i, j], d[i - 2, j - 2] + 1);
                }
            }
        }

        return d[a.Length, b.Length];
    }
}
