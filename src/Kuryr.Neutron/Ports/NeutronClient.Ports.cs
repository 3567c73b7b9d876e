using Kuryr.Neutron.Extensions;
using Kuryr.Neutron.Ports;
using Kuryr.Neutron.Serialization;
using Kuryr.Neutron.Transport;

namespace Kuryr.Neutron;

internal sealed partial class NeutronClient
{
    public async Task<Port> CreatePortAsync(PortCreate port, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(port);
        ValidatePortCreate(port, "port");
        var tags = port.Tags is { Count: > 0 } ? port.Tags : null;
        var tagsInPost = tags is null || await HasExtensionAsync(KnownExtensions.TagPortsDuringBulkCreation, cancellationToken);
        var body = tagsInPost ? port : port with { Tags = null };
        var created = await PostAsync("create_port", "ports", "port", body, Json.PortCreate, Json.Port, cancellationToken);
        Log.PortsCreated(_logger, "create_port", 1, tagsInPost);
        if (tagsInPost)
        {
            return created;
        }

        Log.TaggingAfterCreate(_logger, "create_port", 1);
        var tagged = await TagAfterCreateAsync("create_port", [created], [tags!], cancellationToken);
        return tagged[0];
    }

    public async Task<IReadOnlyList<Port>> CreatePortsAsync(IReadOnlyList<PortCreate> ports, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(ports);
        if (ports.Count == 0)
        {
            return [];
        }

        var anyTags = false;
        for (var i = 0; i < ports.Count; i++)
        {
            var p = ports[i] ?? throw InvalidField.Create($"ports[{i}]", "is null");
            ValidatePortCreate(p, $"ports[{i}]");
            anyTags |= p.Tags is { Count: > 0 };
        }

        var tagsInPost = !anyTags || await HasExtensionAsync(KnownExtensions.TagPortsDuringBulkCreation, cancellationToken);
        IReadOnlyList<PortCreate> body = tagsInPost ? ports : [.. ports.Select(p => p with { Tags = null })];
        var request = new NeutronRequest("create_ports", HttpMethod.Post, "ports")
        {
            Body = NeutronJson.Wrap("ports", body, Json.IReadOnlyListPortCreate),
            BulkCreate = true,
        };
        var response = await SendAsync(request, cancellationToken);
        var (created, _) = NeutronJson.ReadPage(response, "ports", Json.Port, "create_ports");
        if (created.Count != ports.Count)
        {
            throw new Errors.NeutronException("create_ports", response.StatusCode, NeutronJson.MalformedResponse,
                $"asked for {ports.Count} ports, Neutron answered {created.Count}", response.RequestId);
        }

        Log.PortsCreated(_logger, "create_ports", created.Count, tagsInPost);
        if (tagsInPost)
        {
            return created;
        }

        // Neutron answers in request order; tag each port with what was asked for it.
        Log.TaggingAfterCreate(_logger, "create_ports", created.Count);
        return await TagAfterCreateAsync("create_ports", created, [.. ports.Select(p => p.Tags)], cancellationToken);
    }

    public Task<Port> GetPortAsync(string portId, CancellationToken cancellationToken = default) =>
        ShowAsync("show_port", "ports", "port", portId, nameof(portId), Json.Port, cancellationToken);

    public IAsyncEnumerable<Port> ListPortsAsync(PortFilter? filter = null, CancellationToken cancellationToken = default) =>
        ListAsync("list_ports", "ports", filter, Json.Port, cancellationToken);

    public async Task<Port> UpdatePortAsync(string portId, PortUpdate update, long? ifMatchRevision = null, CancellationToken cancellationToken = default)
    {
        var path = "ports/" + PathId(portId, nameof(portId));
        ArgumentNullException.ThrowIfNull(update);
        if (update.IsEmpty)
        {
            throw InvalidField.Create("port", "update sets no field");
        }

        if (ifMatchRevision is < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(ifMatchRevision), ifMatchRevision, "ifMatchRevision must not be negative.");
        }

        var request = new NeutronRequest("update_port", HttpMethod.Put, path)
        {
            Body = NeutronJson.Wrap("port", update, Json.PortUpdate),
            // Setting attributes is idempotent; with If-Match a repeat of a call that did land
            // would fail with 412 (the revision moved), so the caller decides instead.
            Idempotent = ifMatchRevision is null,
            IfMatch = ifMatchRevision is { } rev ? "revision_number=" + rev.ToString(System.Globalization.CultureInfo.InvariantCulture) : null,
        };
        var response = await SendAsync(request, cancellationToken);
        return NeutronJson.Unwrap(response, "port", Json.Port, "update_port");
    }

    public Task<bool> DeletePortAsync(string portId, CancellationToken cancellationToken = default) =>
        DeleteAsync("delete_port", "ports", portId, nameof(portId), cancellationToken);

    public Task<IReadOnlyList<string>> SetPortTagsAsync(string portId, IReadOnlyList<string> tags, CancellationToken cancellationToken = default) =>
        SetTagsAsync("set_port_tags", "ports", portId, nameof(portId), tags, cancellationToken);

    public Task<IReadOnlyList<string>> SetNetworkTagsAsync(string networkId, IReadOnlyList<string> tags, CancellationToken cancellationToken = default) =>
        SetTagsAsync("set_network_tags", "networks", networkId, nameof(networkId), tags, cancellationToken);

    public Task<IReadOnlyList<string>> SetSubnetTagsAsync(string subnetId, IReadOnlyList<string> tags, CancellationToken cancellationToken = default) =>
        SetTagsAsync("set_subnet_tags", "subnets", subnetId, nameof(subnetId), tags, cancellationToken);

    /// <summary><c>PUT {collection}/{id}/tags</c> (standard-attr-tag): replaces all tags.</summary>
    private async Task<IReadOnlyList<string>> SetTagsAsync(string operation, string collection, string id, string idName,
        IReadOnlyList<string> tags, CancellationToken cancellationToken)
    {
        var path = collection + "/" + PathId(id, idName) + "/tags";
        ValidateTags(tags, nameof(tags));
        var request = new NeutronRequest(operation, HttpMethod.Put, path)
        {
            Body = NeutronJson.Wrap("tags", tags, Json.IReadOnlyListString),
            Idempotent = true,
        };
        var response = await SendAsync(request, cancellationToken);
        return NeutronJson.Unwrap(response, "tags", Json.IReadOnlyListString, operation);
    }

    /// <summary>Sets each port's tags; on any failure deletes every port of the batch, then rethrows.</summary>
    private async Task<IReadOnlyList<Port>> TagAfterCreateAsync(string operation, List<Port> created,
        IReadOnlyList<IReadOnlyList<string>?> tags, CancellationToken cancellationToken)
    {
        var result = new Port[created.Count];
        try
        {
            for (var i = 0; i < created.Count; i++)
            {
                result[i] = tags[i] is { Count: > 0 } t
                    ? created[i] with { Tags = await SetPortTagsAsync(created[i].Id, t, cancellationToken) }
                    : created[i];
            }

            return result;
        }
        catch (Exception e)
        {
            Log.RollingBack(_logger, operation, created.Count, e);
            foreach (var port in created)
            {
                try
                {
                    // Not the caller's token: a cancelled caller must not leave untagged ports behind.
                    await DeletePortAsync(port.Id, CancellationToken.None);
                }
#pragma warning disable CA1031 // best effort: the original failure is what the caller must see
                catch (Exception cleanup)
#pragma warning restore CA1031
                {
                    Log.RollbackFailed(_logger, operation, port.Id, cleanup);
                }
            }

            throw;
        }
    }

    private static void ValidatePortCreate(PortCreate port, string field)
    {
        Require(port.NetworkId, field + ".network_id");
        if (port.Tags is not null)
        {
            ValidateTags(port.Tags, field + ".tags");
        }

        if (port.FixedIps is not null)
        {
            for (var i = 0; i < port.FixedIps.Count; i++)
            {
                if (port.FixedIps[i] is not { } ip || (ip.SubnetId is null && ip.IpAddress is null))
                {
                    throw InvalidField.Create($"{field}.fixed_ips[{i}]", "needs a subnet_id or an ip_address");
                }
            }
        }
    }

    private static void ValidateTags(IReadOnlyList<string> tags, string field)
    {
        ArgumentNullException.ThrowIfNull(tags, field);
        for (var i = 0; i < tags.Count; i++)
        {
            // Neutron's limit is 255 characters; an empty tag is rejected by Neutron too.
            if (string.IsNullOrEmpty(tags[i]) || tags[i].Length > 255)
            {
                throw InvalidField.Create($"{field}[{i}]", "must be 1 to 255 characters");
            }
        }
    }
}
