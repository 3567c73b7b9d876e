using System.Text.Json;
using System.Text.Json.Nodes;
using Kuryr.Cni.Agent;
using Kuryr.Cni.Logging;
using Kuryr.Cni.Spec.Agent;
using Kuryr.Cni.Spec.Config;
using Kuryr.Cni.Spec.Errors;
using Kuryr.Cni.Spec.Invocation;
using Kuryr.Cni.Spec.Results;
using Kuryr.Cni.Spec.Serialization;
using Kuryr.Cni.Spec.Versions;
using Kuryr.Cni.Teardown;
using Microsoft.Extensions.Logging;

namespace Kuryr.Cni.Plugin;

/// <summary>
/// One kuryr-cni call: environment + stdin in, result or CNI error on stdout, exit code out.
/// VERSION is answered here; ADD, DEL, CHECK, STATUS and GC go to the agent. When the agent does not
/// answer: ADD, CHECK and GC fail with 11 (try again later), STATUS with 50, and DEL runs the
/// <see cref="ILocalTeardown"/> and succeeds. Every failure is a CNI error JSON, never a stack trace.
/// </summary>
internal sealed partial class CniPlugin
{
    /// <summary>Set to 1 to log at debug level without touching the network config.</summary>
    public const string DebugVariable = "KURYR_CNI_DEBUG";

    /// <summary>Default agent timeout: an ADD may wait vif_annotation_timeout (60 s) twice.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(150);

    private readonly StderrLogger _logger;
    private readonly Func<string, TimeSpan, IAgentClient> _clientFactory;
    private readonly ILocalTeardown _teardown;

    public CniPlugin(StderrLogger logger, Func<string, TimeSpan, IAgentClient> clientFactory, ILocalTeardown teardown)
    {
        _logger = logger;
        _clientFactory = clientFactory;
        _teardown = teardown;
    }

    /// <summary>The process entry point: real environment, stdin, stdout, stderr and socket.</summary>
    public static async Task<int> RunProcessAsync()
    {
        var logger = new StderrLogger(Console.Error, LogLevel.Warning, TimeProvider.System);
        var plugin = new CniPlugin(logger, static (socket, timeout) => new UnixSocketAgentClient(socket, timeout), new NetlinkLocalTeardown());
        using var stdin = Console.OpenStandardInput();
        using var stdout = Console.OpenStandardOutput();
        return await plugin.RunAsync(Environment.GetEnvironmentVariable, stdin, stdout, CancellationToken.None).ConfigureAwait(false);
    }

    public async Task<int> RunAsync(Func<string, string?> environment, Stream stdin, Stream stdout, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(environment);
        if (environment(DebugVariable) == "1")
        {
            _logger.Minimum = LogLevel.Debug;
        }

        var version = CniVersions.Latest;
        CniInvocation? invocation = null;
        try
        {
            var input = await ReadCappedAsync(stdin, NetworkConfig.MaxBytes, cancellationToken).ConfigureAwait(false);
            version = PeekVersion(input) ?? version;
            invocation = CniInvocation.FromEnvironment(environment);
            if (invocation.Command == CniCommand.Version)
            {
                await WriteAsync(stdout, JsonSerializer.SerializeToUtf8Bytes(CniVersionResult.For(PeekVersion(input)), CniJsonContext.Default.CniVersionResult), cancellationToken).ConfigureAwait(false);
                return 0;
            }

            var config = NetworkConfig.Parse(input.Span, requireName: invocation.Command is CniCommand.Add or CniCommand.Del or CniCommand.Check);
            version = config.CniVersion;
            if (config.Debug)
            {
                _logger.Minimum = LogLevel.Debug;
            }

            CheckVerbAllowed(invocation.Command, config);
            var result = await ForwardAsync(invocation, config, cancellationToken).ConfigureAwait(false);
            if (result is not null)
            {
                await WriteAsync(stdout, System.Text.Encoding.UTF8.GetBytes(result.ToJsonString()), cancellationToken).ConfigureAwait(false);
            }

            return 0;
        }
        catch (CniException ex)
        {
            return await FailAsync(stdout, ex.Error, version, invocation, cancellationToken).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // The binary's last line of defence: a CNI error JSON instead of a stack trace.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            return await FailAsync(stdout, new CniError(CniErrorCodes.InternalError, $"internal error: {ex.GetType().Name}", ex.Message), version, invocation, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<JsonObject?> ForwardAsync(CniInvocation invocation, NetworkConfig config, CancellationToken cancellationToken)
    {
        var socket = AgentSocket.Resolve(config);
        var timeout = config.TimeoutSeconds is { } s ? TimeSpan.FromSeconds(s) : DefaultTimeout;
        var client = _clientFactory(socket, timeout);
        var request = AgentRequest.From(invocation, config);
        var command = invocation.Command;
        var wire = command.ToWire();
        var ns = invocation.Args.PodNamespace;
        var pod = invocation.Args.PodName;
        Log.Forwarding(_logger, wire, invocation.ContainerId, ns, pod, socket);
        AgentResponse response;
        try
        {
            response = await client.SendAsync(command, request, cancellationToken).ConfigureAwait(false);
        }
        catch (AgentUnreachableException ex)
        {
            Log.AgentUnreachable(_logger, wire, invocation.ContainerId, ns, pod, ex.Message);
            switch (command)
            {
                case CniCommand.Del when !ex.TimedOut:
                    var done = await _teardown.TearDownAsync(invocation, config, cancellationToken).ConfigureAwait(false);
                    Log.LocalTeardown(_logger, invocation.ContainerId, invocation.IfName, invocation.Netns, done);
                    return null;
                case CniCommand.Status:
                    throw new CniException(CniErrorCodes.PluginNotAvailable, "kuryr-agent is not available", ex.Message);
                default:
                    throw new CniException(CniErrorCodes.TryAgainLater, "try again later: kuryr-agent did not answer", ex.Message);
            }
        }
        finally
        {
            (client as IDisposable)?.Dispose();
        }

        if (!response.IsSuccess)
        {
            var error = ParseAgentError(response);
            if (command == CniCommand.Del && error.Code == CniErrorCodes.UnknownContainer)
            {
                // SPEC: DEL of something that is not there is a success.
                Log.DelOfUnknownContainer(_logger, invocation.ContainerId, ns, pod, error.Msg);
                return null;
            }

            throw new CniException(error);
        }

        Log.AgentAnswered(_logger, wire, invocation.ContainerId, ns, pod, response.StatusCode);
        if (command != CniCommand.Add)
        {
            return null;
        }

        return CniResultConverter.Write(ParseAgentResult(response), config.CniVersion);
    }

    private static void CheckVerbAllowed(CniCommand command, NetworkConfig config)
    {
        switch (command)
        {
            case CniCommand.Check when !CniVersions.HasCheck(config.CniVersion):
                throw new CniException(CniErrorCodes.IncompatibleVersion, $"incompatible CNI version: cniVersion \"{config.CniVersion}\" does not have CHECK (0.4.0 and later)");
            case CniCommand.Status or CniCommand.Gc when !CniVersions.HasStatusAndGc(config.CniVersion):
                throw new CniException(CniErrorCodes.IncompatibleVersion, $"incompatible CNI version: cniVersion \"{config.CniVersion}\" does not have {command.ToWire()} (1.1.0 and later)");
            case CniCommand.Check when config.PrevResultNode is null:
                throw new CniException(CniErrorCodes.InvalidNetworkConfig, "invalid network config: CHECK needs prevResult");
            case CniCommand.Check:
                _ = config.ReadPrevResult();
                break;
        }
    }

    private static CniResult ParseAgentResult(AgentResponse response)
    {
        JsonNode? node;
        try
        {
            node = JsonNode.Parse(response.Body);
        }
        catch (JsonException ex)
        {
            throw new CniException(CniErrorCodes.BadAgentResponse, $"kuryr-agent answered HTTP {response.StatusCode} with a body that is not JSON", ex.Message);
        }

        var version = (node as JsonObject)?["cniVersion"] is JsonValue v && v.TryGetValue<string>(out var s) ? s : CniVersions.V100;
        try
        {
            return CniResultConverter.Read(node, version, "kuryr-agent's result");
        }
        catch (CniException ex)
        {
            throw new CniException(CniErrorCodes.BadAgentResponse, ex.Error.Msg, ex.Error.Details);
        }
    }

    private static CniError ParseAgentError(AgentResponse response)
    {
        try
        {
            var error = JsonSerializer.Deserialize(response.Body, CniJsonContext.Default.CniError);
            if (error is { Code: > 0, Msg: not null })
            {
                return new CniError(error.Code, error.Msg, error.Details);
            }
        }
        catch (JsonException)
        {
        }

        var text = System.Text.Encoding.UTF8.GetString(response.Body.AsSpan(0, Math.Min(response.Body.Length, 512)));
        return new CniError(CniErrorCodes.BadAgentResponse, $"kuryr-agent answered HTTP {response.StatusCode} without a CNI error", text);
    }

    private async Task<int> FailAsync(Stream stdout, CniError error, string version, CniInvocation? invocation, CancellationToken cancellationToken)
    {
        Log.Failed(_logger, invocation?.Command.ToWire() ?? "?", invocation?.ContainerId, invocation?.Args.PodNamespace, invocation?.Args.PodName, error.Code, error.Msg, error.Details);
        var printed = new CniError(error.Code, error.Msg, error.Details) { CniVersion = version };
        try
        {
            await WriteAsync(stdout, JsonSerializer.SerializeToUtf8Bytes(printed, CniJsonContext.Default.CniError), cancellationToken).ConfigureAwait(false);
        }
        catch (IOException)
        {
            // Nobody reads stdout: the exit code still tells.
        }

        return 1;
    }

    /// <summary>The config's cniVersion if stdin is a JSON object with a supported one (for error output and VERSION).</summary>
    private static string? PeekVersion(ReadOnlyMemory<byte> input)
    {
        try
        {
            var reader = new Utf8JsonReader(input.Span, new JsonReaderOptions { MaxDepth = 64 });
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return null;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var isVersion = reader.ValueTextEquals("cniVersion"u8);
                if (!reader.Read())
                {
                    return null;
                }

                if (isVersion)
                {
                    return reader.TokenType == JsonTokenType.String && reader.GetString() is { } v && CniVersions.IsSupported(v) ? v : null;
                }

                reader.Skip();
            }
        }
        catch (JsonException)
        {
        }
        catch (InvalidOperationException)
        {
        }

        return null;
    }

    private static async Task<ReadOnlyMemory<byte>> ReadCappedAsync(Stream stream, int max, CancellationToken cancellationToken)
    {
        var buffer = new MemoryStream();
        var chunk = new byte[64 * 1024];
        try
        {
            int read;
            while ((read = await stream.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
            {
                buffer.Write(chunk, 0, read);
                if (buffer.Length > max)
                {
                    throw new CniException(CniErrorCodes.DecodeFailure,
                        $"failed to decode content: the network configuration on stdin is more than the {max} bytes allowed");
                }
            }
        }
        catch (IOException ex)
        {
            throw new CniException(CniErrorCodes.IoFailure, "I/O failure: cannot read the network configuration from stdin", ex.Message);
        }

        return buffer.GetBuffer().AsMemory(0, (int)buffer.Length);
    }

    private static async Task WriteAsync(Stream stdout, byte[] json, CancellationToken cancellationToken)
    {
        await stdout.WriteAsync(json, cancellationToken).ConfigureAwait(false);
        await stdout.WriteAsync("\n"u8.ToArray(), cancellationToken).ConfigureAwait(false);
        await stdout.FlushAsync(cancellationToken).ConfigureAwait(false);
    }
}
