namespace Kuryr.Neutron.Diagnostics;

/// <summary>Names of the Neutron client's metrics, for exporters and dashboards.</summary>
public static class NeutronDiagnostics
{
    /// <summary>The <see cref="System.Diagnostics.Metrics.Meter"/> every Neutron client instrument belongs to.</summary>
    public const string MeterName = "Kuryr.Neutron";

    /// <summary>Counter: one per HTTP exchange with Neutron. Tags: operation, method, status, outcome.</summary>
    public const string RequestsTotal = "kuryr_neutron_requests_total";

    /// <summary>Histogram (seconds) of each HTTP exchange with Neutron. Tags: operation, outcome.</summary>
    public const string RequestDuration = "kuryr_neutron_request_duration_seconds";

    /// <summary>Counter: retries of idempotent calls. Tag: operation.</summary>
    public const string RetriesTotal = "kuryr_neutron_retries_total";

    /// <summary>Up-down counter: bulk port creations currently sent to Neutron (bounded by <c>bulk_create_concurrency</c>).</summary>
    public const string BulkCreatesInFlight = "kuryr_neutron_bulk_creates_in_flight";

    /// <summary>Up-down counter: requests waiting for the token-bucket rate limiter.</summary>
    public const string RateLimitedWaiting = "kuryr_neutron_rate_limited_waiting";

    /// <summary>Counter: Keystone token requests. Tag: outcome (success, rejected, error).</summary>
    public const string AuthTotal = "kuryr_neutron_auth_total";

    /// <summary>Tag values of <c>outcome</c> on <see cref="RequestsTotal"/>.</summary>
    public static class Outcomes
    {
        public const string Success = "success";
        public const string ClientError = "client_error";
        public const string ServerError = "server_error";
        public const string ConnectionError = "connection_error";
        public const string Timeout = "timeout";
    }
}
