using System.Globalization;
using Microsoft.Extensions.Logging;

namespace Kuryr.LocalCluster.Logging;

/// <summary>Appends log lines (UTC time, level, event id, category, message) to one file in the run directory.</summary>
internal sealed class FileLoggerProvider(string path) : ILoggerProvider
{
    private readonly StreamWriter _writer = new(path, append: true) { AutoFlush = true };
    private readonly Lock _gate = new();

    public string Path { get; } = path;

    public ILogger CreateLogger(string categoryName) => new FileLogger(this, categoryName);

    public void Dispose()
    {
        lock (_gate)
        {
            _writer.Dispose();
        }
    }

    private void Write(string line)
    {
        lock (_gate)
        {
            try
            {
                _writer.WriteLine(line);
            }
            catch (ObjectDisposedException)
            {
            }
        }
    }

    private sealed class FileLogger(FileLoggerProvider provider, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!IsEnabled(logLevel))
            {
                return;
            }

            var line = string.Create(CultureInfo.InvariantCulture,
                $"{DateTime.UtcNow:yyyy-MM-ddTHH:mm:ss.fffZ} {logLevel} [{eventId.Id}] {category}: {formatter(state, exception)}");
            provider.Write(exception is null ? line : line + Environment.NewLine + exception);
        }
    }
}
