using System.Globalization;

namespace Kuryr.Neutron.Serialization;

/// <summary>
/// Filters every Neutron collection understands. A <see langword="null"/> member is not sent;
/// list members repeat the query key (Neutron ORs repeated keys) except the tag filters, which
/// Neutron wants comma-joined.
/// </summary>
public abstract record NeutronFilter
{
    /// <summary><c>id=</c>, repeated: any of these ids.</summary>
    public IReadOnlyList<string>? Ids { get; init; }

    /// <summary><c>name=</c> (exact match).</summary>
    public string? Name { get; init; }

    /// <summary><c>project_id=</c>.</summary>
    public string? ProjectId { get; init; }

    /// <summary><c>tags=a,b</c>: carries all of these tags.</summary>
    public IReadOnlyList<string>? Tags { get; init; }

    /// <summary><c>tags-any=a,b</c>: carries at least one of these tags.</summary>
    public IReadOnlyList<string>? TagsAny { get; init; }

    /// <summary><c>not-tags=a,b</c>: does not carry all of these tags.</summary>
    public IReadOnlyList<string>? NotTags { get; init; }

    /// <summary><c>not-tags-any=a,b</c>: carries none of these tags.</summary>
    public IReadOnlyList<string>? NotTagsAny { get; init; }

    /// <summary><c>fields=</c>, repeated: return only these attributes (others keep their defaults).</summary>
    public IReadOnlyList<string>? Fields { get; init; }

    /// <summary>Page size (<c>limit=</c>). <see langword="null"/>: Neutron's default (usually everything
    /// in one answer). The listing follows the <c>*_links rel=next</c> links either way.</summary>
    public int? Limit { get; init; }

    internal List<KeyValuePair<string, string>> ToQuery()
    {
        var query = new List<KeyValuePair<string, string>>();
        AddMany(query, "id", Ids, "id");
        Add(query, "name", Name);
        Add(query, "project_id", ProjectId);
        AddSpecific(query);
        AddJoined(query, "tags", Tags);
        AddJoined(query, "tags-any", TagsAny);
        AddJoined(query, "not-tags", NotTags);
        AddJoined(query, "not-tags-any", NotTagsAny);
        AddMany(query, "fields", Fields, "fields");
        if (Limit is { } limit)
        {
            if (limit <= 0)
            {
                throw InvalidField.Create("filter limit", $"must be positive, not {limit}");
            }

            query.Add(new("limit", limit.ToString(CultureInfo.InvariantCulture)));
        }

        return query;
    }

    /// <summary>Adds the resource's own filters.</summary>
    private protected virtual void AddSpecific(List<KeyValuePair<string, string>> query)
    {
    }

    private protected static void Add(List<KeyValuePair<string, string>> query, string key, string? value)
    {
        if (value is not null)
        {
            query.Add(new(key, value));
        }
    }

    private protected static void AddMany(List<KeyValuePair<string, string>> query, string key, IReadOnlyList<string>? values, string member)
    {
        if (values is null)
        {
            return;
        }

        if (values.Count == 0)
        {
            // An empty "any of" would silently mean "no filter" on the wire.
            throw InvalidField.Create("filter " + member, "is empty; leave it null to not filter");
        }

        foreach (var v in values)
        {
            query.Add(new(key, v ?? throw InvalidField.Create("filter " + member, "contains null")));
        }
    }

    private static void AddJoined(List<KeyValuePair<string, string>> query, string key, IReadOnlyList<string>? values)
    {
        var member = key;
        if (values is null)
        {
            return;
        }

        if (values.Count == 0)
        {
            throw InvalidField.Create("filter " + member, "is empty; leave it null to not filter");
        }

        foreach (var v in values)
        {
            if (string.IsNullOrEmpty(v) || v.Contains(',', StringComparison.Ordinal))
            {
                throw InvalidField.Create("filter " + member, $"has an empty tag or a tag with a comma: '{v}'");
            }
        }

        query.Add(new(key, string.Join(',', values)));
    }
}
