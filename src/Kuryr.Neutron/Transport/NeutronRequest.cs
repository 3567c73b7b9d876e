namespace Kuryr.Neutron.Transport;

/// <summary>
/// One Neutron API call as the resource code describes it. The transport adds the endpoint,
/// the auth headers, the rate limit and bulk-create cap, retries (idempotent calls only),
/// logging (request id, duration) and per-operation metrics.
/// </summary>
/// <param name="Operation">Name used in logs and metrics, e.g. <c>create_ports</c>.</param>
/// <param name="Method">HTTP method.</param>
/// <param name="Path">Path below the <c>/v2.0/</c> root, without a leading slash, e.g. <c>ports/ID</c>.</param>
internal sealed record NeutronRequest(string Operation, HttpMethod Method, string Path)
{
    /// <summary>UTF-8 JSON body, already serialized with the source-generated context.</summary>
    public byte[]? Body { get; init; }

    /// <summary>True when repeating the call cannot do harm (GET, DELETE, most PUTs).</summary>
    public bool Idempotent { get; init; }

    /// <summary>True for bulk port creation: counts against the bulk-create concurrency cap.</summary>
    public bool BulkCreate { get; init; }

    /// <summary><c>If-Match</c> value, e.g. <c>revision_number=7</c>.</summary>
    public string? IfMatch { get; init; }

    /// <summary>Query string parameters; a key may repeat (<c>fixed_ips=a&amp;fixed_ips=b</c>).</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Query { get; init; } = [];

    /// <summary>An absolute URL to follow instead of <see cref="Path"/> (pagination <c>links</c>).</summary>
    public Uri? AbsoluteUri { get; init; }
}

/// <summary>A successful (2xx) Neutron answer.</summary>
internal sealed record NeutronResponse(int StatusCode, byte[] Body, string? RequestId);

/// <summary>Sends Neutron calls; throws a <see cref="Errors.NeutronException"/> for any non-2xx.</summary>
internal interface INeutronTransport
{
    Task<NeutronResponse> SendAsync(NeutronRequest request, CancellationToken cancellationToken);
}
