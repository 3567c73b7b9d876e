using System.Net.Http.Headers;
using Kuryr.Config.Options;
using Kuryr.Neutron.Auth;
using Kuryr.Neutron.Diagnostics;
using Kuryr.Neutron.Errors;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Polly;
using Polly.Retry;

namespace Kuryr.Neutron.Transport;

/// <summary>
/// The one place that talks HTTP to Neutron. Per call: bulk-create slot (held for the whole call),
/// then per attempt: rate-limit token → credentials → HTTP exchange with the <c>timeout</c> →
/// on 401 one re-authentication and replay → non-2xx mapped to a <see cref="NeutronException"/>.
/// Idempotent calls are retried on 500/502/503/504 and on connection failures or timeouts with
/// jittered exponential backoff (<c>max_retries</c>); others never are.
/// </summary>
internal sealed partial class NeutronTransport : INeutronTransport
{
    /// <summary>Name of the <see cref="HttpClient"/> registered for Neutron.</summary>
    public const string HttpClientName = "Kuryr.Neutron";

    private static readonly ResiliencePropertyKey<NeutronRequest> RequestKey = new("kuryr.neutron.request");
    private static readonly ProductInfoHeaderValue UserAgent = new("kuryr-node", "1.0");

    private readonly IHttpClientFactory _httpClientFactory;
    private readonly INeutronAuthenticator _authenticator;
    private readonly NeutronThrottle _throttle;
    private readonly NeutronMetrics _metrics;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly TimeSpan _timeout;
    private readonly ResiliencePipeline<NeutronResponse> _retry;

    public NeutronTransport(
        IHttpClientFactory httpClientFactory,
        INeutronAuthenticator authenticator,
        NeutronThrottle throttle,
        NeutronMetrics metrics,
        IOptions<NeutronOptions> options,
        TimeProvider timeProvider,
        ILogger<NeutronTransport> logger)
    {
        _httpClientFactory = httpClientFactory;
        _authenticator = authenticator;
        _throttle = throttle;
        _metrics = metrics;
        _timeProvider = timeProvider;
        _logger = logger;
        var o = options.Value;
        _timeout = TimeSpan.FromSeconds(o.Timeout);
        _retry = CreateRetryPipeline(o, timeProvider);
    }

    public async Task<NeutronResponse> SendAsync(NeutronRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        using var bulkSlot = request.BulkCreate ? await _throttle.AcquireBulkCreateAsync(cancellationToken) : null;
        if (!request.Idempotent)
        {
            return await SendWithReauthAsync(request, cancellationToken);
        }

        var context = ResilienceContextPool.Shared.Get(request.Operation, cancellationToken);
        context.Properties.Set(RequestKey, request);
        try
        {
            return await _retry.ExecuteAsync(
                static (ctx, state) => new ValueTask<NeutronResponse>(state.SendWithReauthAsync(ctx.Properties.GetValue(RequestKey, null!), ctx.CancellationToken)),
                context,
                this);
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }

    /// <summary>True for the failures a retry may cure: 500/502/503/504 and no answer at all.</summary>
    internal static bool IsTransient(Exception exception) => exception switch
    {
        NeutronConnectionException => true,
        NeutronServerException { StatusCode: 500 or 502 or 503 or 504 } => true,
        _ => false,
    };

    private ResiliencePipeline<NeutronResponse> CreateRetryPipeline(NeutronOptions o, TimeProvider timeProvider)
    {
        var builder = new ResiliencePipelineBuilder<NeutronResponse> { TimeProvider = timeProvider };
        if (o.MaxRetries <= 0)
        {
            return builder.Build();
        }

        return builder.AddRetry(new RetryStrategyOptions<NeutronResponse>
        {
            MaxRetryAttempts = o.MaxRetries,
            BackoffType = DelayBackoffType.Exponential,
            UseJitter = true,
            Delay = TimeSpan.FromSeconds(Math.Max(0, o.RetryBackoff)),
            MaxDelay = TimeSpan.FromSeconds(Math.Max(o.RetryBackoff, o.RetryBackoffMax)),
            ShouldHandle = args => ValueTask.FromResult(args.Outcome.Exception is { } e && IsTransient(e)),
            OnRetry = args =>
            {
                var request = args.Context.Properties.GetValue(RequestKey, null!);
                var e = args.Outcome.Exception!;
                _metrics.Retry(request.Operation);
                LogRetry(_logger, request.Operation, request.Method.Method, request.Path, (e as NeutronException)?.StatusCode ?? 0,
                    (e as NeutronException)?.RequestId, args.AttemptNumber + 1, o.MaxRetries, args.RetryDelay.TotalSeconds, e.Message);
                return ValueTask.CompletedTask;
            },
        }).Build();
    }

    private async Task<NeutronResponse> SendWithReauthAsync(NeutronRequest request, CancellationToken cancellationToken)
    {
        await _throttle.AcquireRequestAsync(cancellationToken);
        var credentials = await _authenticator.GetAsync(cancellationToken);
        var exchange = await ExchangeAsync(request, credentials, cancellationToken);
        if (exchange.StatusCode == 401 && _authenticator.CanReauthenticate)
        {
            LogReauthenticating(_logger, request.Operation, request.Method.Method, request.Path, exchange.RequestId);
            credentials = await _authenticator.ReauthenticateAsync(credentials, cancellationToken);
            await _throttle.AcquireRequestAsync(cancellationToken);
            exchange = await ExchangeAsync(request, credentials, cancellationToken);
            if (exchange.StatusCode == 401)
            {
                var parsed = NeutronErrorParser.Parse(401, exchange.Body);
                throw new NeutronUnauthorizedException(request.Operation, parsed.Type,
                    $"Neutron rejected a freshly issued token too: {parsed.Message}", exchange.RequestId);
            }
        }

        if (exchange.StatusCode is >= 200 and <= 299)
        {
            return new NeutronResponse(exchange.StatusCode, exchange.Body, exchange.RequestId);
        }

        throw NeutronErrorParser.ToException(request.Operation, exchange.StatusCode, exchange.Body, exchange.RequestId);
    }

    private readonly record struct Exchange(int StatusCode, byte[] Body, string? RequestId);

    private async Task<Exchange> ExchangeAsync(NeutronRequest request, NeutronCredentials credentials, CancellationToken cancellationToken)
    {
        var uri = NeutronEndpoint.Resolve(credentials.Endpoint, request);
        using var message = new HttpRequestMessage(request.Method, uri);
        message.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        message.Headers.UserAgent.Add(UserAgent);
        foreach (var (name, value) in credentials.Headers)
        {
            message.Headers.TryAddWithoutValidation(name, value);
        }

        if (request.IfMatch is { } ifMatch)
        {
            message.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        }

        if (request.Body is { } body)
        {
            message.Content = new ByteArrayContent(body);
            message.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        }

        var path = uri.AbsolutePath;
        var method = request.Method.Method;
        var started = _timeProvider.GetTimestamp();
        using var timeout = new CancellationTokenSource(_timeout, _timeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        try
        {
            var client = _httpClientFactory.CreateClient(HttpClientName);
            using var response = await client.SendAsync(message, HttpCompletionOption.ResponseContentRead, linked.Token);
            var bytes = await response.Content.ReadAsByteArrayAsync(linked.Token);
            var requestId = RequestId(response);
            var status = (int)response.StatusCode;
            var elapsed = _timeProvider.GetElapsedTime(started);
            var outcome = status switch
            {
                >= 200 and <= 299 => NeutronDiagnostics.Outcomes.Success,
                >= 500 => NeutronDiagnostics.Outcomes.ServerError,
                _ => NeutronDiagnostics.Outcomes.ClientError,
            };
            _metrics.RequestCompleted(request.Operation, method, status, outcome, elapsed);
            if (outcome == NeutronDiagnostics.Outcomes.Success)
            {
                LogSucceeded(_logger, request.Operation, method, path, status, requestId, elapsed.TotalMilliseconds);
            }
            else
            {
                LogFailed(_logger, request.Operation, method, path, status, requestId, elapsed.TotalMilliseconds);
            }

            return new Exchange(status, bytes, requestId);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested && timeout.IsCancellationRequested)
        {
            var elapsed = _timeProvider.GetElapsedTime(started);
            _metrics.RequestCompleted(request.Operation, method, 0, NeutronDiagnostics.Outcomes.Timeout, elapsed);
            LogNoAnswer(_logger, request.Operation, method, path, elapsed.TotalMilliseconds, "timed out");
            throw new NeutronConnectionException(request.Operation,
                $"{method} {path} timed out after {_timeout.TotalSeconds:0.###} s ([neutron] timeout)");
        }
        catch (Exception e) when (e is HttpRequestException or IOException && !cancellationToken.IsCancellationRequested)
        {
            var elapsed = _timeProvider.GetElapsedTime(started);
            _metrics.RequestCompleted(request.Operation, method, 0, NeutronDiagnostics.Outcomes.ConnectionError, elapsed);
            LogNoAnswer(_logger, request.Operation, method, path, elapsed.TotalMilliseconds, e.Message);
            throw new NeutronConnectionException(request.Operation, $"{method} {uri.GetLeftPart(UriPartial.Path)}: no answer: {e.Message}", e);
        }
    }

    private static string? RequestId(HttpResponseMessage response) =>
        response.Headers.TryGetValues("x-openstack-request-id", out var v) ? v.FirstOrDefault()
        : response.Headers.TryGetValues("x-compute-request-id", out var c) ? c.FirstOrDefault()
        : null;
}
