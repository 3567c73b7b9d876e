namespace Kuryr.Neutron.Serialization;

/// <summary>Argument errors that name the offending field the way Neutron spells it
/// (<c>ports[3].network_id</c>), both in the message and in <see cref="ArgumentException.ParamName"/>.</summary>
internal static class InvalidField
{
    public static ArgumentException Create(string field, string problem) => new($"{field} {problem}.", field);
}
