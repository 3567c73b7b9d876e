using Microsoft.Extensions.Logging;

namespace Kuryr.Config.Tests.Support;

/// <summary>Captures log entries (level, event id, message and structured fields).</summary>
public sealed class ListLogger : ILogger, ILoggerProvider
{
    private readonly List<LogEntry> _entries = [];

    public IReadOnlyList<LogEntry> Entries
    {
        get
        {
            lock (_entries)
            {
                return [.. _entries];
            }
        }
    }

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        var fields = state as IReadOnlyList<KeyValuePair<string, object?>> ?? [];
        lock (_entries)
        {
            _entries.Add(new LogEntry(logLevel, eventId, formatter(state, exception), fields.ToDictionary(kv => kv.Key, kv => kv.Value)));
        }
    }

    public ILogger CreateLogger(string categoryName) => this;

    public void Dispose()
    {
    }
}

public sealed record LogEntry(LogLevel Level, EventId EventId, string Message, IReadOnlyDictionary<string, object?> Fields);

/// <summary>An <see cref="ILoggerFactory"/> whose loggers all write to one <see cref="ListLogger"/>.</summary>
public sealed class ListLoggerFactory(ListLogger logger) : ILoggerFactory
{
    public List<string> Categories { get; } = [];

    public void AddProvider(ILoggerProvider provider)
    {
    }

    public ILogger CreateLogger(string categoryName)
    {
        Categories.Add(categoryName);
        return logger;
    }

    public void Dispose()
    {
    }
}
