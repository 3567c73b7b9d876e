namespace Kuryr.Neutron.Errors;

// One subclass per failure a caller may want to handle differently. Every one keeps the
// operation, the HTTP status, Neutron's error type and the request id (see NeutronException).

/// <summary>400: Neutron rejected the request body or query (<c>BadRequest</c>, <c>InvalidInput</c>).</summary>
public class NeutronBadRequestException(string operation, string? errorType, string message, string? requestId, Exception? inner = null)
    : NeutronException(operation, 400, errorType, message, requestId, inner);

/// <summary>401: the token (or trusted headers) were not accepted, even after one re-authentication.</summary>
public class NeutronUnauthorizedException(string operation, string? errorType, string message, string? requestId, Exception? inner = null)
    : NeutronException(operation, 401, errorType, message, requestId, inner);

/// <summary>
/// Keystone refused the credentials (or answered something unusable). The message names
/// <c>auth_url</c>, the user and the project, never the password, secret or token.
/// </summary>
public sealed class NeutronAuthenticationException(string operation, int keystoneStatus, string message, string? requestId, Exception? inner = null)
    : NeutronUnauthorizedException(operation, "AuthenticationFailed", message, requestId, inner)
{
    /// <summary>Keystone's HTTP status (401 for bad credentials; 0 when Keystone's answer was unusable).</summary>
    public int KeystoneStatusCode { get; } = keystoneStatus;
}

/// <summary>
/// The token's service catalog has no endpoint for the configured <c>service_type</c>,
/// <c>valid_interfaces</c> and <c>region_name</c> (and no <c>endpoint_override</c> is set).
/// </summary>
public sealed class NeutronEndpointNotFoundException(string operation, string message)
    : NeutronException(operation, 0, "EndpointNotFound", message, null);

/// <summary>403: policy forbids the call for this project/role.</summary>
public class NeutronForbiddenException(string operation, string? errorType, string message, string? requestId, Exception? inner = null)
    : NeutronException(operation, 403, errorType, message, requestId, inner);

/// <summary>404: e.g. <c>PortNotFound</c>, <c>NetworkNotFound</c>, <c>TrunkNotFound</c>.</summary>
public class NeutronNotFoundException(string operation, string? errorType, string message, string? requestId, Exception? inner = null)
    : NeutronException(operation, 404, errorType, message, requestId, inner);

/// <summary>409: e.g. <c>DuplicateSubPort</c>, <c>PortInUse</c>, <c>MacAddressInUse</c>, <c>TrunkInUse</c>.</summary>
public class NeutronConflictException(string operation, string? errorType, string message, string? requestId, Exception? inner = null)
    : NeutronException(operation, 409, errorType, message, requestId, inner);

/// <summary>409 <c>OverQuota</c>: the project's quota for the resource is used up.</summary>
public sealed class NeutronOverQuotaException(string operation, string? errorType, string message, string? requestId, Exception? inner = null)
    : NeutronConflictException(operation, errorType, message, requestId, inner);

/// <summary>409 <c>IpAddressGenerationFailure</c>: the subnet has no free address left.</summary>
public sealed class NeutronIpAddressGenerationFailureException(string operation, string? errorType, string message, string? requestId, Exception? inner = null)
    : NeutronConflictException(operation, errorType, message, requestId, inner);

/// <summary>412: the <c>If-Match</c> revision did not match (someone else changed the resource).</summary>
public class NeutronPreconditionFailedException(string operation, string? errorType, string message, string? requestId, Exception? inner = null)
    : NeutronException(operation, 412, errorType, message, requestId, inner);

/// <summary>5xx: Neutron (or a proxy in front of it) failed.</summary>
public class NeutronServerException(string operation, int statusCode, string? errorType, string message, string? requestId, Exception? inner = null)
    : NeutronException(operation, statusCode, errorType, message, requestId, inner);

/// <summary>No answer: connection refused or dropped, or the request timed out. <see cref="NeutronException.StatusCode"/> is 0.</summary>
public class NeutronConnectionException(string operation, string message, Exception? inner = null)
    : NeutronException(operation, 0, null, message, null, inner);
