using Microsoft.Extensions.Logging;

namespace Kuryr.Cni.Logging;

/// <summary>
/// The CNI binary's logger: one line per event on stderr (runtimes capture it; stdout belongs to the
/// result). A console logging provider would cost start-up on every pod, so this is all there is.
/// </summary>
internal sealed class StderrLogger : ILogger
{
    private readonly TextWriter _writer;
    private readonly TimeProvider _time;

    public StderrLogger(TextWriter writer, LogLevel minimum, TimeProvider time)
    {
        _writer = writer;
        Minimum = minimum;
        _time = time;
    }

    public LogLevel Minimum { get; set; }

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None && logLevel >= Minimum;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        if (!IsEnabled(logLevel))
        {
            return;
        }

        try
        {
            var line = $"{_time.GetUtcNow():yyyy-MM-ddTHH:mm:ss.fffZ} kuryr-cni[{Environment.ProcessId}] {Level(logLevel)} {eventId.Id} {formatter(state, exception)}";
            _writer.WriteLine(exception is null ? line : $"{line}: {exception.GetType().Name}: {exception.Message}");
            _writer.Flush();
        }
        catch (IOException)
        {
            // stderr closed: logging must never fail a CNI call.
        }
        catch (ObjectDisposedException)
        {
        }
    }

    private static string Level(LogLevel level) => level switch
    {
        LogLevel.Trace => "TRACE",
        LogLevel.Debug => "DEBUG",
        LogLevel.Information => "INFO",
        LogLevel.Warning => "WARN",
        LogLevel.Error => "ERROR",
        _ => "CRIT",
    };
}
