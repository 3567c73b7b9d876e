using Kuryr.Neutron.Extensions;
using Kuryr.Neutron.Serialization;
using Kuryr.Neutron.Transport;

namespace Kuryr.Neutron;

internal sealed partial class NeutronClient
{
    // Aliases of the loaded extensions, fetched on first need. Two first callers racing may both
    // fetch (a harmless GET); a failed fetch is not cached.
    private volatile HashSet<string>? _extensionAliases;

    public async Task<IReadOnlyList<Extension>> ListExtensionsAsync(CancellationToken cancellationToken = default)
    {
        var response = await SendAsync(new NeutronRequest("list_extensions", HttpMethod.Get, "extensions") { Idempotent = true }, cancellationToken);
        var (extensions, _) = NeutronJson.ReadPage(response, "extensions", Json.Extension, "list_extensions");
        var aliases = extensions.Select(e => e.Alias).ToHashSet(StringComparer.Ordinal);
        _extensionAliases = aliases;
        var tagOnBulk = aliases.Contains(KnownExtensions.TagPortsDuringBulkCreation);
        Log.ExtensionsLoaded(_logger, aliases.Count, tagOnBulk);
        return extensions;
    }

    public async Task<bool> HasExtensionAsync(string extensionAlias, CancellationToken cancellationToken = default)
    {
        Require(extensionAlias, nameof(extensionAlias));
        if (_extensionAliases is not { } aliases)
        {
            await ListExtensionsAsync(cancellationToken);
            aliases = _extensionAliases!;
        }

        return aliases.Contains(extensionAlias);
    }
}
