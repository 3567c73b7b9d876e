using System.Runtime.CompilerServices;
using System.Text.Json.Serialization.Metadata;
using Kuryr.Neutron.Errors;
using Kuryr.Neutron.Serialization;
using Kuryr.Neutron.Transport;
using Microsoft.Extensions.Logging;

namespace Kuryr.Neutron;

/// <summary>
/// <see cref="INeutronClient"/> over the transport: builds each <see cref="NeutronRequest"/>
/// (operation name, path, source-generated JSON body, idempotency) and reads Neutron's envelopes.
/// One partial file per resource folder (<c>Ports/NeutronClient.Ports.cs</c>, ...).
/// </summary>
internal sealed partial class NeutronClient : INeutronClient
{
    private readonly INeutronTransport _transport;
    private readonly ILogger<NeutronClient> _logger;

    public NeutronClient(INeutronTransport transport, ILogger<NeutronClient> logger)
    {
        _transport = transport;
        _logger = logger;
    }

    private static NeutronJsonContext Json => NeutronJsonContext.Default;

    private Task<NeutronResponse> SendAsync(NeutronRequest request, CancellationToken cancellationToken) =>
        _transport.SendAsync(request, cancellationToken);

    /// <summary><c>GET {collection}/{id}</c> → <c>{"key": {...}}</c>.</summary>
    private async Task<T> ShowAsync<T>(string operation, string collection, string key, string id, string idName,
        JsonTypeInfo<T> typeInfo, CancellationToken cancellationToken)
    {
        var request = new NeutronRequest(operation, HttpMethod.Get, collection + "/" + PathId(id, idName)) { Idempotent = true };
        var response = await SendAsync(request, cancellationToken);
        return NeutronJson.Unwrap(response, key, typeInfo, operation);
    }

    /// <summary><c>POST {collection}</c> with <c>{"key": body}</c> → <c>{"key": {...}}</c>. Never retried.</summary>
    private async Task<T> PostAsync<TBody, T>(string operation, string collection, string key, TBody body,
        JsonTypeInfo<TBody> bodyInfo, JsonTypeInfo<T> typeInfo, CancellationToken cancellationToken)
    {
        var request = new NeutronRequest(operation, HttpMethod.Post, collection) { Body = NeutronJson.Wrap(key, body, bodyInfo) };
        var response = await SendAsync(request, cancellationToken);
        return NeutronJson.Unwrap(response, key, typeInfo, operation);
    }

    /// <summary><c>DELETE {collection}/{id}</c>; <see langword="false"/> on 404.</summary>
    private async Task<bool> DeleteAsync(string operation, string collection, string id, string idName, CancellationToken cancellationToken)
    {
        var request = new NeutronRequest(operation, HttpMethod.Delete, collection + "/" + PathId(id, idName)) { Idempotent = true };
        try
        {
            await SendAsync(request, cancellationToken);
            return true;
        }
        catch (NeutronException e) when (e.StatusCode == 404)
        {
            Log.AlreadyGone(_logger, operation, id, e.ErrorType);
            return false;
        }
    }

    /// <summary>
    /// <c>GET {collection}?filters</c>, following <c>{collection}_links rel=next</c>. The next
    /// request keeps the configured endpoint and takes only the query (limit, marker, filters)
    /// from the link, so a Neutron that advertises another host name (behind a proxy or load
    /// balancer) still pages correctly. A failure on any page throws: callers never see a silently
    /// truncated listing.
    /// </summary>
    private IAsyncEnumerable<T> ListAsync<T>(string operation, string collection, NeutronFilter? filter,
        JsonTypeInfo<T> typeInfo, CancellationToken cancellationToken) =>
        ListAsync(operation, collection, collection, filter, typeInfo, cancellationToken);

    /// <summary>As above, for a collection whose URL differs from its JSON key (<c>security-groups</c>).</summary>
    private async IAsyncEnumerable<T> ListAsync<T>(string operation, string path, string collection, NeutronFilter? filter,
        JsonTypeInfo<T> typeInfo, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        IReadOnlyList<KeyValuePair<string, string>> query = filter?.ToQuery() ?? [];
        var pages = 0;
        while (true)
        {
            var request = new NeutronRequest(operation, HttpMethod.Get, path) { Idempotent = true, Query = query };
            var response = await SendAsync(request, cancellationToken);
            var (items, next) = NeutronJson.ReadPage(response, collection, typeInfo, operation);
            pages++;
            foreach (var item in items)
            {
                yield return item;
            }

            if (next is null || items.Count == 0)
            {
                Log.Listed(_logger, operation, pages);
                yield break;
            }

            var nextQuery = NeutronJson.ParseQuery(next);
            if (nextQuery.SequenceEqual(query))
            {
                throw new NeutronException(operation, response.StatusCode, "PaginationLoop",
                    $"the next link repeats the current page ({next})", response.RequestId);
            }

            query = nextQuery;
        }
    }

    /// <summary>Validates an id and escapes it for a path segment.</summary>
    private static string PathId(string id, string name)
    {
        if (string.IsNullOrWhiteSpace(id))
        {
            throw InvalidField.Create(name, "is required");
        }

        return Uri.EscapeDataString(id);
    }

    private static void Require(string? value, string field)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            throw InvalidField.Create(field, "is required");
        }
    }
}
