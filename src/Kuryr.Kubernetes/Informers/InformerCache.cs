using Kuryr.Kubernetes.Models;

namespace Kuryr.Kubernetes.Informers;

/// <summary>
/// Thread-safe keyed store with indices (client-go threadSafeMap + indexers). The informer is
/// the only writer; readers get snapshots.
/// </summary>
internal sealed class InformerCache<T> : IInformerCache<T>
    where T : KubernetesObject
{
    private readonly object _gate = new();
    private readonly Dictionary<string, T> _items = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Func<T, IEnumerable<string>>> _indexers;
    private readonly Dictionary<string, Dictionary<string, HashSet<string>>> _indices = new(StringComparer.Ordinal);

    public InformerCache(IReadOnlyDictionary<string, Func<T, IEnumerable<string>>>? indexers = null)
    {
        _indexers = new(StringComparer.Ordinal)
        {
            [InformerIndexers.Namespace] = static o => string.IsNullOrEmpty(o.Metadata.Namespace) ? [] : [o.Metadata.Namespace],
        };
        foreach (var (name, fn) in indexers ?? new Dictionary<string, Func<T, IEnumerable<string>>>())
        {
            ArgumentException.ThrowIfNullOrEmpty(name);
            if (!_indexers.TryAdd(name, fn ?? throw new ArgumentException($"Indexer '{name}' is null.", nameof(indexers))))
            {
                throw new ArgumentException($"Indexer '{name}' is defined twice (the '{InformerIndexers.Namespace}' index is built in).", nameof(indexers));
            }
        }

        foreach (var name in _indexers.Keys)
        {
            _indices[name] = new(StringComparer.Ordinal);
        }
    }

    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _items.Count;
            }
        }
    }

    public T? GetByKey(string key)
    {
        lock (_gate)
        {
            return _items.GetValueOrDefault(key);
        }
    }

    public T? GetByName(string? objectNamespace, string name) => GetByKey(ObjectKeys.For(objectNamespace, name));

    public IReadOnlyList<T> List()
    {
        lock (_gate)
        {
            return [.. _items.Values];
        }
    }

    public IReadOnlyList<string> ListKeys()
    {
        lock (_gate)
        {
            return [.. _items.Keys];
        }
    }

    public IReadOnlyList<T> ByIndex(string indexName, string value)
    {
        lock (_gate)
        {
            var index = IndexLocked(indexName);
            return index.TryGetValue(value, out var keys) ? keys.Select(k => _items[k]).ToArray() : [];
        }
    }

    public IReadOnlyList<string> IndexValues(string indexName)
    {
        lock (_gate)
        {
            return [.. IndexLocked(indexName).Keys];
        }
    }

    /// <summary>Stores <paramref name="obj"/>; returns the previous object with that key, if any.</summary>
    public T? Upsert(string key, T obj)
    {
        lock (_gate)
        {
            _items.TryGetValue(key, out var old);
            if (old is not null)
            {
                Unindex(key, old);
            }

            _items[key] = obj;
            Index(key, obj);
            return old;
        }
    }

    /// <summary>Removes the key; returns the removed object, if any.</summary>
    public T? Remove(string key)
    {
        lock (_gate)
        {
            if (!_items.Remove(key, out var old))
            {
                return null;
            }

            Unindex(key, old);
            return old;
        }
    }

    private Dictionary<string, HashSet<string>> IndexLocked(string indexName) =>
        _indices.TryGetValue(indexName, out var index)
            ? index
            : throw new ArgumentException($"No index named '{indexName}' (have: {string.Join(", ", _indices.Keys)}).", nameof(indexName));

    private void Index(string key, T obj)
    {
        foreach (var (name, fn) in _indexers)
        {
            var index = _indices[name];
            foreach (var value in fn(obj).Distinct(StringComparer.Ordinal))
            {
                if (!index.TryGetValue(value, out var keys))
                {
                    index[value] = keys = new(StringComparer.Ordinal);
                }

                keys.Add(key);
            }
        }
    }

    private void Unindex(string key, T obj)
    {
        foreach (var (name, fn) in _indexers)
        {
            var index = _indices[name];
            foreach (var value in fn(obj))
            {
                if (index.TryGetValue(value, out var keys) && keys.Remove(key) && keys.Count == 0)
                {
                    index.Remove(value);
                }
            }
        }
    }
}
