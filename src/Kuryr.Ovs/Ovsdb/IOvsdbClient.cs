using System.Text.Json;
using System.Text.Json.Nodes;

namespace Kuryr.Ovs.Ovsdb;

/// <summary>
/// RFC 7047 client on one long-lived connection to ovsdb-server, reopened on the next call after
/// it drops. Calls are concurrent (matched by request id).
/// </summary>
public interface IOvsdbClient
{
    /// <summary>
    /// Runs <c>transact</c> on the configured database and returns one result per operation.
    /// An error object in the results becomes an <see cref="OvsdbOperationException"/> naming the
    /// failed operation. A request that never reached the server (dead connection) is sent again
    /// on a new connection; one whose outcome is unknown throws <see cref="OvsdbConnectionException"/>.
    /// </summary>
    Task<IReadOnlyList<JsonElement>> TransactAsync(IReadOnlyList<JsonObject> operations, CancellationToken cancellationToken = default);

    /// <summary>Round trip with <c>echo</c> (a liveness probe).</summary>
    Task EchoAsync(CancellationToken cancellationToken = default);

    /// <summary><c>list_dbs</c>.</summary>
    Task<IReadOnlyList<string>> ListDatabasesAsync(CancellationToken cancellationToken = default);

    /// <summary>Drops the current connection as if the server had (tests, and a caller giving up on a stuck server).</summary>
    void DropConnection(string reason);
}
