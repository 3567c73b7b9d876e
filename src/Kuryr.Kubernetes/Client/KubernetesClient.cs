using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;
using Kuryr.Kubernetes.Config;
using Kuryr.Kubernetes.Models;
using Kuryr.Kubernetes.Serialization;
using Microsoft.Extensions.Logging;

namespace Kuryr.Kubernetes.Client;

/// <inheritdoc cref="IKubernetesClient"/>
internal sealed partial class KubernetesClient : IKubernetesClient
{
    private static readonly MediaTypeWithQualityHeaderValue AcceptJson = new("application/json");
    private readonly KubernetesClientConfiguration _config;
    private readonly HttpClient _http;
    private readonly string _base;
    private readonly KubernetesRequestLimiter _limiter;
    private readonly TimeProvider _time;
    private readonly TimeSpan _timeout;
    private readonly int _finalizerAttempts;
    private readonly ILogger _logger;

    public KubernetesClient(KubernetesClientConfiguration config, KubernetesClientOptions options, TimeProvider timeProvider, ILogger logger,
        HttpMessageHandler? handler = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(options);
        _config = config;
        _time = timeProvider;
        _logger = logger;
        _http = new HttpClient(handler ?? KubernetesHttpHandler.Create(config), disposeHandler: true) { Timeout = Timeout.InfiniteTimeSpan };
        _http.DefaultRequestHeaders.UserAgent.Add(new ProductInfoHeaderValue("kuryr-node", "1.0"));
        _base = config.Server.AbsoluteUri.TrimEnd('/');
        _limiter = new KubernetesRequestLimiter(options.Qps, options.Burst, timeProvider);
        _timeout = options.RequestTimeout > 0 ? TimeSpan.FromSeconds(options.RequestTimeout) : Timeout.InfiniteTimeSpan;
        _finalizerAttempts = Math.Max(1, options.FinalizerMaxAttempts);
    }

    public Uri Server => _config.Server;

    public string? DefaultNamespace => _config.Namespace;

    internal KubernetesRequestLimiter Limiter => _limiter;

    public async Task<T> GetAsync<T>(ResourceType<T> type, string? ns, string name, CancellationToken cancellationToken = default)
        where T : KubernetesObject
    {
        ArgumentNullException.ThrowIfNull(type);
        return await SendForObjectAsync(HttpMethod.Get, type.ObjectPath(ns, name), null, null, type.TypeInfo, cancellationToken).ConfigureAwait(false);
    }

    public async Task<T?> TryGetAsync<T>(ResourceType<T> type, string? ns, string name, CancellationToken cancellationToken = default)
        where T : KubernetesObject
    {
        try
        {
            return await GetAsync(type, ns, name, cancellationToken).ConfigureAwait(false);
        }
        catch (KubernetesApiException e) when (e.IsNotFound)
        {
            return null;
        }
    }

    public async Task<KubernetesList<T>> ListAsync<T>(ResourceType<T> type, string? ns, ListOptions? options = null, CancellationToken cancellationToken = default)
        where T : KubernetesObject
    {
        ArgumentNullException.ThrowIfNull(type);
        var path = type.CollectionPath(ns) + (options?.ToQuery() ?? "");
        return await SendForObjectAsync(HttpMethod.Get, path, null, null, type.ListTypeInfo, cancellationToken).ConfigureAwait(false);
    }

    public async IAsyncEnumerable<KubernetesList<T>> ListPagesAsync<T>(ResourceType<T> type, string? ns, ListOptions? options = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
        where T : KubernetesObject
    {
        var current = options ?? new ListOptions();
        while (true)
        {
            var page = await ListAsync(type, ns, current, cancellationToken).ConfigureAwait(false);
            yield return page;
            if (string.IsNullOrEmpty(page.Metadata.Continue))
            {
                yield break;
            }

            // A continued list must not repeat resourceVersion: the token pins the snapshot.
            current = current with { Continue = page.Metadata.Continue, ResourceVersion = null };
        }
    }

    public async IAsyncEnumerable<T> ListAllAsync<T>(ResourceType<T> type, string? ns, ListOptions? options = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
        where T : KubernetesObject
    {
        await foreach (var page in ListPagesAsync(type, ns, options, cancellationToken).ConfigureAwait(false))
        {
            foreach (var item in page.Items)
            {
                yield return item;
            }
        }
    }

    public async Task<T> CreateAsync<T>(ResourceType<T> type, T item, CancellationToken cancellationToken = default)
        where T : KubernetesObject
    {
        ArgumentNullException.ThrowIfNull(type);
        ArgumentNullException.ThrowIfNull(item);
        Stamp(type, item);
        if (type.Namespaced && string.IsNullOrEmpty(item.Metadata.Namespace))
        {
            throw new ArgumentException($"{type.Kind} {item.Metadata.Name}: metadata.namespace is required ({type.Plural} are namespaced)", nameof(item));
        }

        if (string.IsNullOrEmpty(item.Metadata.Name) && string.IsNullOrEmpty(item.Metadata.GenerateName))
        {
            throw new ArgumentException($"{type.Kind}: metadata.name (or metadata.generateName) is required", nameof(item));
        }

        var body = JsonSerializer.SerializeToUtf8Bytes(item, type.TypeInfo);
        return await SendForObjectAsync(HttpMethod.Post, type.CollectionPath(item.Metadata.Namespace), "application/json", body, type.TypeInfo, cancellationToken)
            .ConfigureAwait(false);
    }

    public Task<T> ReplaceAsync<T>(ResourceType<T> type, T item, CancellationToken cancellationToken = default)
        where T : KubernetesObject => PutAsync(type, item, "", cancellationToken);

    public Task<T> ReplaceStatusAsync<T>(ResourceType<T> type, T item, CancellationToken cancellationToken = default)
        where T : KubernetesObject => PutAsync(type, item, "/status", cancellationToken);

    public Task<T> PatchAsync<T>(ResourceType<T> type, string? ns, string name, KubernetesPatch patch, CancellationToken cancellationToken = default)
        where T : KubernetesObject => DoPatchAsync(type, ns, name, patch, "", cancellationToken);

    public Task<T> PatchStatusAsync<T>(ResourceType<T> type, string? ns, string name, KubernetesPatch patch, CancellationToken cancellationToken = default)
        where T : KubernetesObject => DoPatchAsync(type, ns, name, patch, "/status", cancellationToken);

    public async Task<T> GetStatusAsync<T>(ResourceType<T> type, string? ns, string name, CancellationToken cancellationToken = default)
        where T : KubernetesObject
    {
        ArgumentNullException.ThrowIfNull(type);
        return await SendForObjectAsync(HttpMethod.Get, type.ObjectPath(ns, name) + "/status", null, null, type.TypeInfo, cancellationToken)
            .ConfigureAwait(false);
    }

    public async Task<DeleteResult<T>> DeleteAsync<T>(ResourceType<T> type, string? ns, string name, DeleteOptions? options = null,
        CancellationToken cancellationToken = default)
        where T : KubernetesObject
    {
        ArgumentNullException.ThrowIfNull(type);
        var path = type.ObjectPath(ns, name);
        var body = options is null ? null : JsonSerializer.SerializeToUtf8Bytes(options, KubernetesJsonContext.Default.DeleteOptions);
        using var response = await SendAsync(HttpMethod.Delete, path, body is null ? null : "application/json", body, watch: false, cancellationToken)
            .ConfigureAwait(false);
        await EnsureSuccessAsync(response, HttpMethod.Delete, path, cancellationToken).ConfigureAwait(false);
        var bytes = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        using var doc = JsonDocument.Parse(bytes);
        if (doc.RootElement.TryGetProperty("kind", out var kind) && kind.ValueEquals("Status"))
        {
            return new DeleteResult<T>(null, doc.RootElement.Deserialize(KubernetesJsonContext.Default.ApiStatus));
        }

        return new DeleteResult<T>(doc.RootElement.Deserialize(type.TypeInfo), null);
    }

    public async IAsyncEnumerable<WatchEvent<T>> WatchAsync<T>(ResourceType<T> type, string? ns, WatchOptions? options = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
        where T : KubernetesObject
    {
        ArgumentNullException.ThrowIfNull(type);
        options ??= new WatchOptions();
        var path = type.CollectionPath(ns) + options.ToQuery();
        using var response = await SendAsync(HttpMethod.Get, path, null, null, watch: true, cancellationToken).ConfigureAwait(false);
        await EnsureSuccessAsync(response, HttpMethod.Get, path, cancellationToken).ConfigureAwait(false);
        Log.WatchStarted(_logger, type.Name, ns ?? "", options.ResourceVersion ?? "");
        var events = 0;
        var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            using var reader = new StreamReader(stream, Encoding.UTF8);
            while (await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } line)
            {
                if (line.Length == 0)
                {
                    continue;
                }

                events++;
                yield return ParseWatchEvent(line, type, path);
            }
        }

        Log.WatchEnded(_logger, type.Name, ns ?? "", events);
    }

    public async Task<T> AddFinalizerAsync<T>(ResourceType<T> type, string? ns, string name, string finalizer, CancellationToken cancellationToken = default)
        where T : KubernetesObject
    {
        ArgumentException.ThrowIfNullOrEmpty(finalizer);
        for (var attempt = 1; ; attempt++)
        {
            var current = await GetAsync(type, ns, name, cancellationToken).ConfigureAwait(false);
            var finalizers = current.Metadata.Finalizers ?? [];
            if (finalizers.Contains(finalizer, StringComparer.Ordinal))
            {
                return current;
            }

            try
            {
                return await PatchAsync(type, ns, name, FinalizersPatch([.. finalizers, finalizer], current.Metadata.ResourceVersion), cancellationToken)
                    .ConfigureAwait(false);
            }
            catch (KubernetesApiException e) when (e.IsConflict && attempt < _finalizerAttempts)
            {
                Log.FinalizerConflict(_logger, "add", finalizer, type.Name, ns ?? "", name, attempt);
            }
        }
    }

    public async Task<T?> RemoveFinalizerAsync<T>(ResourceType<T> type, string? ns, string name, string finalizer, CancellationToken cancellationToken = default)
        where T : KubernetesObject
    {
        ArgumentException.ThrowIfNullOrEmpty(finalizer);
        for (var attempt = 1; ; attempt++)
        {
            var current = await TryGetAsync(type, ns, name, cancellationToken).ConfigureAwait(false);
            if (current is null)
            {
                return null;
            }

            var finalizers = current.Metadata.Finalizers ?? [];
            if (!finalizers.Contains(finalizer, StringComparer.Ordinal))
            {
                return current;
            }

            try
            {
                var remaining = finalizers.Where(f => !string.Equals(f, finalizer, StringComparison.Ordinal)).ToList();
                var patched = await PatchAsync(type, ns, name, FinalizersPatch(remaining, current.Metadata.ResourceVersion), cancellationToken)
                    .ConfigureAwait(false);

                // The last finalizer of a deleting object: the server removes it now.
                return remaining.Count == 0 && patched.Metadata.DeletionTimestamp is not null ? null : patched;
            }
            catch (KubernetesApiException e) when (e.IsNotFound)
            {
                return null;
            }
            catch (KubernetesApiException e) when (e.IsConflict && attempt < _finalizerAttempts)
            {
                Log.FinalizerConflict(_logger, "remove", finalizer, type.Name, ns ?? "", name, attempt);
            }
        }
    }

    public void Dispose()
    {
        _http.Dispose();
        _limiter.Dispose();
    }

    private static KubernetesPatch FinalizersPatch(List<string> finalizers, string? resourceVersion)
    {
        var array = new JsonArray();
        foreach (var f in finalizers)
        {
            array.Add(f);
        }

        return KubernetesPatch.Merge(new JsonObject
        {
            ["metadata"] = new JsonObject { ["finalizers"] = array, ["resourceVersion"] = resourceVersion },
        });
    }

    private static void Stamp<T>(ResourceType<T> type, T item)
        where T : KubernetesObject
    {
        item.ApiVersion ??= type.ApiVersion;
        item.Kind ??= type.Kind;
    }

    private static WatchEvent<T> ParseWatchEvent<T>(string line, ResourceType<T> type, string path)
        where T : KubernetesObject
    {
        try
        {
            using var doc = JsonDocument.Parse(line);
            var root = doc.RootElement;
            var eventType = root.GetProperty("type").GetString() ?? throw new JsonException("type is null");
            var obj = root.GetProperty("object");
            if (eventType == WatchEventTypes.Error)
            {
                return new WatchEvent<T>(eventType, null, obj.Deserialize(KubernetesJsonContext.Default.ApiStatus));
            }

            return new WatchEvent<T>(eventType, obj.Deserialize(type.TypeInfo), null);
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            throw new InvalidDataException($"Kubernetes watch GET {path}: malformed event: {e.Message}", e);
        }
    }

    private async Task<T> PutAsync<T>(ResourceType<T> type, T item, string subresource, CancellationToken cancellationToken)
        where T : KubernetesObject
    {
        ArgumentNullException.ThrowIfNull(type);
        ArgumentNullException.ThrowIfNull(item);
        Stamp(type, item);
        var path = type.ObjectPath(item.Metadata.Namespace, item.Metadata.Name ?? "") + subresource;
        var body = JsonSerializer.SerializeToUtf8Bytes(item, type.TypeInfo);
        return await SendForObjectAsync(HttpMethod.Put, path, "application/json", body, type.TypeInfo, cancellationToken).ConfigureAwait(false);
    }

    private async Task<T> DoPatchAsync<T>(ResourceType<T> type, string? ns, string name, KubernetesPatch patch, string subresource, CancellationToken cancellationToken)
        where T : KubernetesObject
    {
        ArgumentNullException.ThrowIfNull(type);
        ArgumentNullException.ThrowIfNull(patch);
        if (patch.Type == PatchType.StrategicMerge && !type.SupportsStrategicMergePatch)
        {
            throw new ArgumentException($"{type}: strategic merge patch is not supported for custom resources; use a merge or JSON patch", nameof(patch));
        }

        var path = type.ObjectPath(ns, name) + subresource;
        return await SendForObjectAsync(HttpMethod.Patch, path, patch.ContentType, Encoding.UTF8.GetBytes(patch.Body), type.TypeInfo, cancellationToken)
            .ConfigureAwait(false);
    }

    private async Task<T> SendForObjectAsync<T>(HttpMethod method, string path, string? contentType, byte[]? body, JsonTypeInfo<T> typeInfo,
        CancellationToken cancellationToken)
    {
        using var response = await SendAsync(method, path, contentType, body, watch: false, cancellationToken).ConfigureAwait(false);
        await EnsureSuccessAsync(response, method, path, cancellationToken).ConfigureAwait(false);
        var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            return await JsonSerializer.DeserializeAsync(stream, typeInfo, cancellationToken).ConfigureAwait(false)
                ?? throw new KubernetesApiException($"{method} {path}", response.StatusCode, null, "empty answer");
        }
    }

    /// <summary>
    /// Rate limit, auth header, timeout (not for watches), one retry after a 401 when the token can
    /// be re-read (it may just have rotated).
    /// </summary>
    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string? contentType, byte[]? body, bool watch,
        CancellationToken cancellationToken)
    {
        await _limiter.AcquireAsync(cancellationToken).ConfigureAwait(false);
        for (var attempt = 0; ; attempt++)
        {
            using var request = new HttpRequestMessage(method, new Uri(_base + path));
            request.Headers.Accept.Add(AcceptJson);
            if (body is not null)
            {
                request.Content = new ByteArrayContent(body);
                request.Content.Headers.ContentType = new MediaTypeHeaderValue(contentType ?? "application/json");
            }

            if (_config.Token is { } token)
            {
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token.GetToken());
            }

            HttpResponseMessage response;
            using (var timeout = watch || _timeout == Timeout.InfiniteTimeSpan ? null : new CancellationTokenSource(_timeout, _time))
            using (var linked = timeout is null ? null : CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token))
            {
                try
                {
                    response = await _http.SendAsync(request, watch ? HttpCompletionOption.ResponseHeadersRead : HttpCompletionOption.ResponseContentRead,
                        linked?.Token ?? cancellationToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException e) when (timeout?.IsCancellationRequested == true && !cancellationToken.IsCancellationRequested)
                {
                    throw new TimeoutException(string.Create(CultureInfo.InvariantCulture,
                        $"Kubernetes {method} {path} timed out after {_timeout.TotalSeconds} s"), e);
                }
                catch (HttpRequestException e)
                {
                    Log.RequestError(_logger, method.Method, path, e.Message);
                    throw;
                }
            }

            if (response.StatusCode == HttpStatusCode.Unauthorized && attempt == 0 && _config.Token is { } t)
            {
                Log.UnauthorizedRetry(_logger, method.Method, path);
                t.Invalidate();
                response.Dispose();
                continue;
            }

            return response;
        }
    }

    private async Task EnsureSuccessAsync(HttpResponseMessage response, HttpMethod method, string path, CancellationToken cancellationToken)
    {
        if (response.IsSuccessStatusCode)
        {
            return;
        }

        var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        ApiStatus? status = null;
        if (text.StartsWith('{'))
        {
            try
            {
                status = JsonSerializer.Deserialize(text, KubernetesJsonContext.Default.ApiStatus);
            }
            catch (JsonException)
            {
                status = null;
            }
        }

        var error = new KubernetesApiException($"{method} {path}", response.StatusCode, status, text);
        if (!error.IsNotFound && !error.IsConflict && !error.IsAlreadyExists)
        {
            Log.RequestFailed(_logger, method.Method, path, (int)response.StatusCode, status?.Reason ?? "", status?.Message ?? text);
        }

        throw error;
    }
}
