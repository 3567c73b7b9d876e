using System.Text.Json.Nodes;
using Kuryr.Agent.Binding;
using Kuryr.Agent.Vifs;
using Kuryr.Cni.Spec.Agent;
using Kuryr.Cni.Spec.Errors;
using Kuryr.Cni.Spec.Results;
using Kuryr.Cni.Spec.Vifs;
using Kuryr.Config.Options;
using Kuryr.Vifs;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Kuryr.Agent.Cni;

/// <summary>One answer of the agent: a CNI result (ADD), nothing (204), or a CNI error with its HTTP status.</summary>
public sealed record CniAnswer(int HttpStatus, CniResult? Result, CniError? Error)
{
    public static CniAnswer NoContent { get; } = new(204, null, null);

    public static CniAnswer Fail(int httpStatus, int code, string msg, string? details = null) => new(httpStatus, null, new CniError(code, msg, details));
}

/// <summary>Handles the kuryr-cni verbs (docs/agent.md): ADD waits for the VIFs and plugs them, DEL unplugs, CHECK compares, STATUS and GC.</summary>
public interface ICniRequestHandler
{
    Task<CniAnswer> HandleAsync(string command, AgentRequest request, CancellationToken cancellationToken);
}

/// <summary><see cref="ICniRequestHandler"/>: never calls Neutron; every plug is recorded first, so a DEL or GC after a crash finds it.</summary>
internal sealed partial class CniRequestHandler(
    IVifRegistry registry,
    IVifPlugger plugger,
    IPlugRecords records,
    INodePoolStatus pools,
    AttachmentLocks locks,
    IOptions<CniDaemonOptions> options,
    ILogger<CniRequestHandler> logger) : ICniRequestHandler
{
    internal const string ValidAttachmentsKey = "cni.dev/valid-attachments";

    public async Task<CniAnswer> HandleAsync(string command, AgentRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        try
        {
            return command switch
            {
                "ADD" => await AddAsync(request, cancellationToken).ConfigureAwait(false),
                "DEL" => await DelAsync(request, cancellationToken).ConfigureAwait(false),
                "CHECK" => await CheckAsync(request, cancellationToken).ConfigureAwait(false),
                "STATUS" => await StatusAsync(cancellationToken).ConfigureAwait(false),
                "GC" => await GcAsync(request, cancellationToken).ConfigureAwait(false),
                _ => CniAnswer.Fail(400, CniErrorCodes.InvalidEnvironment, $"CNI_COMMAND \"{command}\" is not served by kuryr-agent"),
            };
        }
        catch (CniException e)
        {
            return CniAnswer.Fail(e.Code is CniErrorCodes.InvalidEnvironment or CniErrorCodes.DecodeFailure or CniErrorCodes.InvalidNetworkConfig ? 400 : 500, e.Code, e.Error.Msg, e.Error.Details);
        }
        catch (VifWaitTimeoutException e)
        {
            return CniAnswer.Fail(503, CniErrorCodes.TryAgainLater, e.Message);
        }
        catch (VifFormatException e)
        {
            return CniAnswer.Fail(500, CniErrorCodes.DecodeFailure, "the pod's VIFs cannot be read: " + e.Message);
        }
    }

    private async Task<CniAnswer> AddAsync(AgentRequest request, CancellationToken cancellationToken)
    {
        var (containerId, ifName) = Attachment(request);
        var netns = Required(request.Netns, "CNI_NETNS");
        var (ns, pod, uid) = Pod(request, uidRequired: false);
        var vifs = await registry.WaitForVifsAsync(ns, pod, uid, options.Value.VifAnnotationTimeout, cancellationToken).ConfigureAwait(false);
        using var held = await locks.AcquireAsync(containerId, ifName, cancellationToken).ConfigureAwait(false);
        var podVifs = WithDefaultName(vifs.Vifs, ifName);

        // Recorded before plugging: an agent killed mid-plug leaves a record DEL/GC (and the retried ADD) clean up from.
        await records.SaveAsync(new PlugRecord(containerId, ifName, netns, ns, pod, vifs.PodUid, ToMap(podVifs)), cancellationToken).ConfigureAwait(false);
        var plugged = await plugger.PlugAsync(new PlugRequest(containerId, netns, ifName, ns, pod, vifs.PodUid, podVifs), cancellationToken).ConfigureAwait(false);
        var podSide = plugged.Where(p => !string.IsNullOrEmpty(p.Sandbox)).ToList();
        var hostSide = plugged.Where(p => string.IsNullOrEmpty(p.Sandbox)).Select(p => new HostInterface(p.Name, p.Mac)).ToList();
        var result = VifResultBuilder.Build([.. podVifs.Select((v, i) => new PluggedVif(i < podSide.Count ? podSide[i].Name : v.InterfaceName, v.Vif, v.Default))], netns, hostSide);
        LogAdded(ns + "/" + pod, containerId, ifName, podVifs.Count, vifs.Source);
        return new CniAnswer(200, result, null);
    }

    private async Task<CniAnswer> DelAsync(AgentRequest request, CancellationToken cancellationToken)
    {
        var (containerId, ifName) = Attachment(request);
        using var held = await locks.AcquireAsync(containerId, ifName, cancellationToken).ConfigureAwait(false);
        var record = await records.GetAsync(containerId, ifName, cancellationToken).ConfigureAwait(false);
        IReadOnlyList<PodVif> vifs = [];
        if (record is not null)
        {
            vifs = VifRegistry.ParseVifs(record.Vifs);
        }
        else if (Arg(request, "K8S_POD_NAMESPACE") is { } ns && Arg(request, "K8S_POD_NAME") is { } pod
            && registry.TryGet(ns, pod, Arg(request, "K8S_POD_UID")) is { } known)
        {
            vifs = WithDefaultName(known.Vifs, ifName);
        }

        // Unplug by container and ifname even with no VIF known: the binding removes what is there.
        await plugger.UnplugAsync(new UnplugRequest(containerId, string.IsNullOrEmpty(request.Netns) ? record?.Netns : request.Netns, ifName, vifs), cancellationToken).ConfigureAwait(false);
        records.Remove(containerId, ifName);
        LogDeleted(record is null ? "unknown pod" : record.PodNamespace + "/" + record.PodName, containerId, ifName, vifs.Count);
        return CniAnswer.NoContent;
    }

    private async Task<CniAnswer> CheckAsync(AgentRequest request, CancellationToken cancellationToken)
    {
        var (containerId, ifName) = Attachment(request);
        var netns = Required(request.Netns, "CNI_NETNS");
        using var held = await locks.AcquireAsync(containerId, ifName, cancellationToken).ConfigureAwait(false);
        var record = await records.GetAsync(containerId, ifName, cancellationToken).ConfigureAwait(false);
        if (record is null)
        {
            return CniAnswer.Fail(404, CniErrorCodes.UnknownContainer, $"container {containerId} interface {ifName}: nothing was plugged by this agent");
        }

        var vifs = VifRegistry.ParseVifs(record.Vifs);
        var (expectedMacs, prevProblem) = PrevResultPodInterfaces(request, vifs);
        var problems = await plugger.CheckAsync(new PlugRequest(containerId, netns, ifName, record.PodNamespace, record.PodName, record.PodUid, vifs, expectedMacs), cancellationToken).ConfigureAwait(false);
        if (prevProblem is not null)
        {
            problems = [.. problems, prevProblem];
        }

        if (problems.Count == 0)
        {
            return CniAnswer.NoContent;
        }

        LogCheckFailed(record.PodNamespace + "/" + record.PodName, containerId, ifName, string.Join("; ", problems));
        return CniAnswer.Fail(500, CniErrorCodes.InternalError, $"CHECK of container {containerId} interface {ifName}: " + string.Join("; ", problems));
    }

    private async Task<CniAnswer> StatusAsync(CancellationToken cancellationToken)
    {
        if (!registry.HasSynced)
        {
            return CniAnswer.Fail(503, CniErrorCodes.PluginNotAvailable, "kuryr-agent is not ready: the KuryrPorts of this node are not listed yet");
        }

        string? problem;
        try
        {
            problem = await pools.ProblemAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is StackExchange.Redis.RedisException or TimeoutException)
        {
            problem = "the pools cannot be read from Redis: " + e.Message;
        }

        return problem is null ? CniAnswer.NoContent : CniAnswer.Fail(503, CniErrorCodes.PluginNotAvailable, problem);
    }

    private async Task<CniAnswer> GcAsync(AgentRequest request, CancellationToken cancellationToken)
    {
        var valid = new HashSet<(string, string)>();
        if (request.Config?[ValidAttachmentsKey] is { } list)
        {
            if (list is not JsonArray array)
            {
                throw new CniException(CniErrorCodes.InvalidNetworkConfig, $"{ValidAttachmentsKey} must be a list of {{\"containerID\", \"ifname\"}}");
            }

            foreach (var item in array)
            {
                if (item?["containerID"]?.GetValue<string>() is not { Length: > 0 } id || item["ifname"]?.GetValue<string>() is not { Length: > 0 } name)
                {
                    throw new CniException(CniErrorCodes.InvalidNetworkConfig, $"{ValidAttachmentsKey}: every entry needs containerID and ifname (got {item?.ToJsonString() ?? "null"})");
                }

                valid.Add((id, name));
            }
        }

        var problems = new List<string>();
        var removed = 0;
        foreach (var record in await records.ListAsync(problems, cancellationToken).ConfigureAwait(false))
        {
            if (valid.Contains((record.ContainerId, record.IfName)))
            {
                continue;
            }

            using var held = await locks.AcquireAsync(record.ContainerId, record.IfName, cancellationToken).ConfigureAwait(false);
            await plugger.UnplugAsync(new UnplugRequest(record.ContainerId, record.Netns, record.IfName, VifRegistry.ParseVifs(record.Vifs)), cancellationToken).ConfigureAwait(false);
            records.Remove(record.ContainerId, record.IfName);
            removed++;
        }

        var kept = valid.Count;
        LogGc(removed, kept, problems.Count);
        return CniAnswer.NoContent;
    }

    /// <summary>
    /// CHECK validates against prevResult (CNI spec): every VIF's pod interface must be among prevResult's
    /// pod-side interfaces (those with a <c>sandbox</c>; host-side entries such as our veth host end or
    /// bandwidth's ifb are ignored here), and the MAC prevResult lists for it, which a chained plugin
    /// like <c>tuning</c> may have changed, is what the interface must have. Null map: no prevResult.
    /// </summary>
    private static (IReadOnlyDictionary<string, string>? Macs, string? Problem) PrevResultPodInterfaces(AgentRequest request, IReadOnlyList<PodVif> vifs)
    {
        if (request.Config?["prevResult"] is not JsonObject prev)
        {
            return (null, null);
        }

        if (prev["interfaces"] is not JsonArray interfaces)
        {
            return (null, "prevResult has no interfaces");
        }

        var macs = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var item in interfaces)
        {
            if (item is JsonObject entry && Text(entry, "sandbox") is { Length: > 0 } && Text(entry, "name") is { Length: > 0 } name)
            {
                macs[name] = Text(entry, "mac") ?? "";
            }
        }

        var missing = vifs.Where(v => !macs.ContainsKey(v.InterfaceName)).Select(v => v.InterfaceName).ToList();
        return (macs, missing.Count == 0 ? null : "prevResult lacks the pod interfaces " + string.Join(", ", missing));
    }

    private static string? Text(JsonObject entry, string key) =>
        entry[key] is JsonValue v && v.TryGetValue<string>(out var text) ? text : null;

    /// <summary>The default VIF gets CNI_IFNAME; the others keep their status.vifs key.</summary>
    private static List<PodVif> WithDefaultName(IReadOnlyList<PodVif> vifs, string ifName) =>
        [.. vifs.Select(v => v.Default ? v with { InterfaceName = ifName } : v)];

    private static JsonObject ToMap(IReadOnlyList<PodVif> vifs)
    {
        var map = new JsonObject();
        foreach (var v in vifs)
        {
            map[v.InterfaceName] = new JsonObject { ["default"] = v.Default, ["vif"] = VifJson.ToNode(v.Vif) };
        }

        return map;
    }

    private static (string ContainerId, string IfName) Attachment(AgentRequest request) =>
        (Required(request.ContainerId, "CNI_CONTAINERID"), Required(request.IfName, "CNI_IFNAME"));

    private static (string Namespace, string Pod, string? Uid) Pod(AgentRequest request, bool uidRequired)
    {
        var ns = Arg(request, "K8S_POD_NAMESPACE") ?? throw new CniException(CniErrorCodes.InvalidEnvironment, "CNI_ARGS: K8S_POD_NAMESPACE is missing");
        var pod = Arg(request, "K8S_POD_NAME") ?? throw new CniException(CniErrorCodes.InvalidEnvironment, "CNI_ARGS: K8S_POD_NAME is missing");
        var uid = Arg(request, "K8S_POD_UID");
        if (uidRequired && uid is null)
        {
            throw new CniException(CniErrorCodes.InvalidEnvironment, "CNI_ARGS: K8S_POD_UID is missing");
        }

        return (ns, pod, uid);
    }

    private static string? Arg(AgentRequest request, string name) =>
        request.Args.TryGetValue(name, out var value) && !string.IsNullOrWhiteSpace(value) ? value : null;

    private static string Required(string? value, string name) =>
        string.IsNullOrWhiteSpace(value) ? throw new CniException(CniErrorCodes.InvalidEnvironment, name + " is missing") : value;

    [LoggerMessage(EventId = 6820, Level = LogLevel.Information, Message = "ADD pod {Pod} container {ContainerId} {IfName}: {Count} VIFs plugged (VIFs from {Source})")]
    private partial void LogAdded(string pod, string containerId, string ifName, int count, string source);

    [LoggerMessage(EventId = 6821, Level = LogLevel.Information, Message = "DEL pod {Pod} container {ContainerId} {IfName}: unplugged ({Count} VIFs known)")]
    private partial void LogDeleted(string pod, string containerId, string ifName, int count);

    [LoggerMessage(EventId = 6822, Level = LogLevel.Warning, Message = "CHECK pod {Pod} container {ContainerId} {IfName} failed: {Problems}")]
    private partial void LogCheckFailed(string pod, string containerId, string ifName, string problems);

    [LoggerMessage(EventId = 6823, Level = LogLevel.Information, Message = "GC: {Removed} leftover attachments removed, {Valid} valid attachments listed, {Unreadable} unreadable records")]
    private partial void LogGc(int removed, int valid, int unreadable);
}
