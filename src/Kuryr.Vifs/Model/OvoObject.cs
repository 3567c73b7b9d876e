using System.Text.Json.Nodes;

namespace Kuryr.Vifs.Model;

/// <summary>
/// An oslo.versionedobjects object as os-vif and Kuryr write it: the envelope
/// <c>versioned_object.name/namespace/version/data</c>. Only fields that are set are written (as
/// o.vo does); a null property means "not set". Fields this model does not know, and known fields
/// that arrived as an explicit JSON null, are kept in <see cref="ExtraFields"/> so that reading and
/// writing again gives the same bytes.
/// </summary>
public abstract class OvoObject
{
    /// <summary>os-vif's namespace; Kuryr's own classes use it too so they nest inside os-vif objects.</summary>
    public const string OsVifNamespace = "os_vif";

    protected OvoObject(string version)
    {
        Version = version;
    }

    /// <summary><c>versioned_object.name</c>, e.g. <c>VIFOpenVSwitch</c>.</summary>
    public abstract string ObjectName { get; }

    /// <summary><c>versioned_object.version</c>; defaults to the version Kuryr writes.</summary>
    public string Version { get; set; }

    /// <summary><c>versioned_object.namespace</c>.</summary>
    public string Namespace { get; set; } = OsVifNamespace;

    /// <summary>Data fields not modelled here (or explicitly null), written back as they came.</summary>
    public IDictionary<string, JsonNode?> ExtraFields { get; } = new SortedDictionary<string, JsonNode?>(StringComparer.Ordinal);

    /// <summary>Envelope keys beyond the four (e.g. <c>versioned_object.changes</c>), written back as they came.</summary>
    public IDictionary<string, JsonNode?> ExtraEnvelope { get; } = new SortedDictionary<string, JsonNode?>(StringComparer.Ordinal);

    /// <summary>The set fields of this object (null values are skipped by the writer).</summary>
    internal abstract void CollectFields(IDictionary<string, object?> fields);

    /// <summary>Reads one data field; false when the name is not a field of this class.</summary>
    internal abstract bool TryReadField(string name, JsonNode node, OvoReader reader, string path);
}

/// <summary>An o.vo list type (<c>SubnetList</c>, <c>FixedIPList</c>, <c>RouteList</c>): <c>data.objects</c>.</summary>
public sealed class OvoList<T> : OvoObject
    where T : OvoObject
{
    private readonly string _name;

    public OvoList(string name, IEnumerable<T>? items = null)
        : base("1.0")
    {
        _name = name;
        if (items is not null)
        {
            Items.AddRange(items);
        }
    }

    public override string ObjectName => _name;

    /// <summary>The objects.</summary>
    public List<T> Items { get; } = [];

    internal override void CollectFields(IDictionary<string, object?> fields) => fields["objects"] = Items;

    internal override bool TryReadField(string name, JsonNode node, OvoReader reader, string path)
    {
        if (name != "objects")
        {
            return false;
        }

        Items.AddRange(reader.ReadObjectArray<T>(node, path));
        return true;
    }
}
