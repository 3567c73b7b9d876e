namespace Kuryr.Neutron.Transport;

/// <summary>Neutron endpoint URL handling: the catalog and <c>endpoint_override</c> may or may not include <c>/v2.0</c>.</summary>
internal static class NeutronEndpoint
{
    /// <summary>The API root ending in <c>/v2.0/</c>, e.g. <c>http://h:9696</c> → <c>http://h:9696/v2.0/</c>.</summary>
    public static Uri Normalize(string url, string fieldName)
    {
        if (!Uri.TryCreate(url?.Trim(), UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            throw new ArgumentException($"{fieldName} must be an absolute http(s) URL, got '{url}'", fieldName);
        }

        var path = uri.AbsolutePath.TrimEnd('/');
        if (!path.EndsWith("/v2.0", StringComparison.Ordinal))
        {
            path += "/v2.0";
        }

        return new UriBuilder(uri.Scheme, uri.Host, uri.Port, path + "/").Uri;
    }

    /// <summary>The URL of <paramref name="request"/> below <paramref name="root"/> (a normalised root).</summary>
    public static Uri Resolve(Uri root, NeutronRequest request)
    {
        if (request.AbsoluteUri is { } absolute)
        {
            return Rebase(root, absolute);
        }

        ArgumentException.ThrowIfNullOrWhiteSpace(request.Path, nameof(request.Path));
        var path = request.Path.TrimStart('/');
        if (path.StartsWith("v2.0/", StringComparison.Ordinal))
        {
            path = path["v2.0/".Length..];
        }

        var relative = path + QueryString(request.Query);
        return new Uri(root, relative);
    }

    /// <summary>
    /// Follows a pagination link only below our own endpoint: Neutron behind a load balancer often
    /// writes its internal host into <c>links</c>, and the token must never go to another host.
    /// </summary>
    public static Uri Rebase(Uri root, Uri link)
    {
        if (!link.IsAbsoluteUri)
        {
            return new Uri(root, link.OriginalString.TrimStart('/'));
        }

        var path = link.AbsolutePath;
        var at = path.IndexOf("/v2.0/", StringComparison.Ordinal);
        if (at < 0)
        {
            throw new ArgumentException($"pagination link '{link.GetLeftPart(UriPartial.Path)}' is not below a /v2.0/ API root", nameof(link));
        }

        return new Uri(root, path[(at + "/v2.0/".Length)..] + link.Query);
    }

    public static string QueryString(IReadOnlyList<KeyValuePair<string, string>> query)
    {
        if (query.Count == 0)
        {
            return "";
        }

        var sb = new System.Text.StringBuilder();
        foreach (var (key, value) in query)
        {
            sb.Append(sb.Length == 0 ? '?' : '&').Append(Uri.EscapeDataString(key)).Append('=').Append(Uri.EscapeDataString(value ?? ""));
        }

        return sb.ToString();
    }
}
