namespace Kuryr.Config.Binding;

/// <summary>One <c>kuryr.conf</c> section and the options class it binds to.</summary>
public sealed class KuryrSectionDescriptor
{
    private readonly Dictionary<string, KuryrOptionDescriptor> _byName;

    internal KuryrSectionDescriptor(string name, Type optionsType, string help, IReadOnlyList<KuryrOptionDescriptor> options)
    {
        Name = name;
        OptionsType = optionsType;
        Help = help;
        Options = options;
        _byName = new Dictionary<string, KuryrOptionDescriptor>(StringComparer.OrdinalIgnoreCase);
        foreach (var o in options)
        {
            _byName[o.Name] = o;
            foreach (var d in o.DeprecatedNames)
            {
                _byName.TryAdd(d, o);
            }
        }
    }

    /// <summary>Section name (<c>DEFAULT</c> or lower case).</summary>
    public string Name { get; }

    public Type OptionsType { get; }

    /// <summary>One-line description of the section.</summary>
    public string Help { get; }

    /// <summary>Options in declaration order.</summary>
    public IReadOnlyList<KuryrOptionDescriptor> Options { get; }

    /// <summary>The option named <paramref name="name"/> (or with that deprecated name), case-insensitive.</summary>
    public KuryrOptionDescriptor? Find(string name) => _byName.GetValueOrDefault(name);

    public override string ToString() => $"[{Name}] ({OptionsType.Name})";
}
