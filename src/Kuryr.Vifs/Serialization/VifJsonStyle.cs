namespace Kuryr.Vifs;

/// <summary>How <see cref="VifJson"/> lays out the JSON. Keys are always sorted ordinally (as
/// Kuryr's <c>jsonutils.dumps(..., sort_keys=True)</c>) and non-ASCII is always escaped.</summary>
public enum VifJsonStyle
{
    /// <summary>No whitespace: what Kuryr.Node stores in Redis.</summary>
    Compact,

    /// <summary>Python's <c>json.dumps</c> separators <c>", "</c> and <c>": "</c>: byte-identical to
    /// what Kuryr wrote into the <c>openstack.org/kuryr-vif</c> annotation.</summary>
    Python,
}
