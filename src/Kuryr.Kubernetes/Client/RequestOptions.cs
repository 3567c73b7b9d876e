using System.Globalization;
using System.Text;

namespace Kuryr.Kubernetes.Client;

/// <summary>Query parameters of a list.</summary>
public sealed record ListOptions
{
    public string? LabelSelector { get; init; }

    public string? FieldSelector { get; init; }

    /// <summary>Page size; the answer's <c>metadata.continue</c> fetches the next page.</summary>
    public int? Limit { get; init; }

    public string? Continue { get; init; }

    /// <summary><c>0</c>: any cached version is fine; empty: a consistent read from etcd.</summary>
    public string? ResourceVersion { get; init; }

    public int? TimeoutSeconds { get; init; }

    internal string ToQuery()
    {
        var q = new QueryBuilder();
        q.Add("labelSelector", LabelSelector);
        q.Add("fieldSelector", FieldSelector);
        q.Add("limit", Limit?.ToString(CultureInfo.InvariantCulture));
        q.Add("continue", Continue);
        q.Add("resourceVersion", ResourceVersion);
        q.Add("timeoutSeconds", TimeoutSeconds?.ToString(CultureInfo.InvariantCulture));
        return q.ToString();
    }
}

/// <summary>Query parameters of a watch.</summary>
public sealed record WatchOptions
{
    public string? LabelSelector { get; init; }

    public string? FieldSelector { get; init; }

    /// <summary>Start after this version (from a list); null starts with synthetic ADDED events for every object.</summary>
    public string? ResourceVersion { get; init; }

    public bool AllowWatchBookmarks { get; init; } = true;

    /// <summary>The server ends the stream after this long (client-go picks 5–10 minutes at random).</summary>
    public int? TimeoutSeconds { get; init; } = 300;

    internal string ToQuery()
    {
        var q = new QueryBuilder();
        q.Add("watch", "1");
        q.Add("labelSelector", LabelSelector);
        q.Add("fieldSelector", FieldSelector);
        q.Add("resourceVersion", ResourceVersion);
        q.Add("allowWatchBookmarks", AllowWatchBookmarks ? "true" : null);
        q.Add("timeoutSeconds", TimeoutSeconds?.ToString(CultureInfo.InvariantCulture));
        return q.ToString();
    }
}

internal sealed class QueryBuilder
{
    private readonly StringBuilder _sb = new();

    public void Add(string name, string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return;
        }

        _sb.Append(_sb.Length == 0 ? '?' : '&').Append(name).Append('=').Append(Uri.EscapeDataString(value));
    }

    public override string ToString() => _sb.ToString();
}
