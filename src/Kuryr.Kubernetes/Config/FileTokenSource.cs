using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Kuryr.Kubernetes.Config;

/// <summary>
/// A token read from a file that may rotate (the projected service-account token, kubeconfig
/// <c>tokenFile</c>, Kuryr's <c>token_file</c>). The file is re-read when its modification time
/// changes, and in any case once <see cref="MaxAge"/> has passed since the last read (a rotation
/// that keeps the mtime, e.g. an atomic symlink swap, is picked up within that time).
/// </summary>
public sealed partial class FileTokenSource : ITokenSource
{
    private readonly object _gate = new();
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private string? _token;
    private DateTime _mtime;
    private long _readAt;

    public FileTokenSource(string path, TimeProvider? timeProvider = null, TimeSpan? maxAge = null, ILogger? logger = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        Path = path;
        _time = timeProvider ?? TimeProvider.System;
        MaxAge = maxAge ?? TimeSpan.FromMinutes(1);
        _logger = logger ?? NullLogger.Instance;
    }

    public string Path { get; }

    public TimeSpan MaxAge { get; }

    public string GetToken()
    {
        lock (_gate)
        {
            var mtime = File.GetLastWriteTimeUtc(Path);
            if (_token is null || mtime != _mtime || _time.GetElapsedTime(_readAt) >= MaxAge)
            {
                Read(mtime);
            }

            return _token!;
        }
    }

    public void Invalidate()
    {
        lock (_gate)
        {
            _token = null;
        }
    }

    private void Read(DateTime mtime)
    {
        string text;
        try
        {
            text = File.ReadAllText(Path).Trim();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new KubeConfigException("token file " + Path, "token", "cannot be read: " + e.Message, e);
        }

        if (text.Length == 0)
        {
            throw new KubeConfigException("token file " + Path, "token", "the file is empty");
        }

        var changed = _token is not null && !string.Equals(_token, text, StringComparison.Ordinal);
        _token = text;
        _mtime = mtime;
        _readAt = _time.GetTimestamp();
        if (changed)
        {
            Log.TokenRotated(_logger, Path);
        }
    }
}
