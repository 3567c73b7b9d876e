using Kuryr.Agent.NodeLabel;
using Kuryr.Agent.Vifs;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Kuryr.Agent.Hosting;

/// <summary>The agent's life: runs the VIF registry (KuryrPort watch + Redis push) and labels the Node (retried with backoff until it works).</summary>
internal sealed partial class AgentService(IVifRegistry registry, INodeLabeler labeler, AgentNode node, TimeProvider time, ILogger<AgentService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        LogStarting(logger, node.Name);
        var run = registry.RunAsync(stoppingToken);
        var label = LabelAsync(stoppingToken);
        try
        {
            await Task.WhenAll(run, label).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }

        LogStopped(logger, node.Name);
    }

    private async Task LabelAsync(CancellationToken cancellationToken)
    {
        var delay = TimeSpan.FromSeconds(1);
        while (true)
        {
            try
            {
                await labeler.ApplyAsync(cancellationToken).ConfigureAwait(false);
                return;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LogLabelFailed(logger, node.Name, delay.TotalSeconds, e.Message);
                await Task.Delay(delay, time, cancellationToken).ConfigureAwait(false);
                delay = TimeSpan.FromSeconds(Math.Min(60, delay.TotalSeconds * 2));
            }
        }
    }

    [LoggerMessage(EventId = 6980, Level = LogLevel.Information, Message = "kuryr-agent starting on node {Node}")]
    private static partial void LogStarting(ILogger logger, string node);

    [LoggerMessage(EventId = 6981, Level = LogLevel.Warning, Message = "Labelling node {Node} failed; retrying in {Seconds} s: {Reason}")]
    private static partial void LogLabelFailed(ILogger logger, string node, double seconds, string reason);

    [LoggerMessage(EventId = 6982, Level = LogLevel.Information, Message = "kuryr-agent on node {Node} stopped")]
    private static partial void LogStopped(ILogger logger, string node);
}
