using System.Text.Json.Nodes;

namespace Kuryr.Vifs.Model;

/// <summary>os-vif <c>Network</c>. Kuryr puts exactly one <see cref="VifSubnet"/> in it.</summary>
public sealed class VifNetwork : OvoObject
{
    public const string Name = "Network";

    public VifNetwork()
        : base("1.1")
    {
    }

    public override string ObjectName => Name;

    /// <summary>Neutron network id.</summary>
    public string? Id { get; set; }

    /// <summary>Bridge to plug into (OVS: <c>binding:vif_details.bridge_name</c> or <c>ovs_bridge</c>).</summary>
    public string? Bridge { get; set; }

    /// <summary>Network name.</summary>
    public string? Label { get; set; }

    public int? Mtu { get; set; }

    public bool? MultiHost { get; set; }

    public bool? ShouldProvideBridge { get; set; }

    public bool? ShouldProvideVlan { get; set; }

    /// <summary>Provider segmentation id of VLAN networks.</summary>
    public int? Vlan { get; set; }

    public string? BridgeInterface { get; set; }

    /// <summary><c>SubnetList</c>.</summary>
    public OvoList<VifSubnet>? Subnets { get; set; }

    /// <summary>os-vif's Network constructor sets these three defaults; Kuryr's objects carry them.</summary>
    public VifNetwork WithOsVifDefaults()
    {
        MultiHost ??= false;
        ShouldProvideBridge ??= false;
        ShouldProvideVlan ??= false;
        Subnets ??= new OvoList<VifSubnet>(VifSubnet.ListName);
        return this;
    }

    internal override void CollectFields(IDictionary<string, object?> fields)
    {
        fields["id"] = Id;
        fields["bridge"] = Bridge;
        fields["label"] = Label;
        fields["mtu"] = Mtu;
        fields["multi_host"] = MultiHost;
        fields["should_provide_bridge"] = ShouldProvideBridge;
        fields["should_provide_vlan"] = ShouldProvideVlan;
        fields["vlan"] = Vlan;
        fields["bridge_interface"] = BridgeInterface;
        fields["subnets"] = Subnets;
    }

    internal override bool TryReadField(string name, JsonNode node, OvoReader reader, string path)
    {
        switch (name)
        {
            case "id": Id = OvoReader.ReadString(node, path); return true;
            case "bridge": Bridge = OvoReader.ReadString(node, path); return true;
            case "label": Label = OvoReader.ReadString(node, path); return true;
            case "mtu": Mtu = OvoReader.ReadInt(node, path); return true;
            case "multi_host": MultiHost = OvoReader.ReadBool(node, path); return true;
            case "should_provide_bridge": ShouldProvideBridge = OvoReader.ReadBool(node, path); return true;
            case "should_provide_vlan": ShouldProvideVlan = OvoReader.ReadBool(node, path); return true;
            case "vlan": Vlan = OvoReader.ReadInt(node, path); return true;
            case "bridge_interface": BridgeInterface = OvoReader.ReadString(node, path); return true;
            case "subnets": Subnets = reader.ReadList<VifSubnet>(node, path, VifSubnet.ListName); return true;
            default: return false;
        }
    }
}

/// <summary>os-vif <c>Subnet</c>.</summary>
public sealed class VifSubnet : OvoObject
{
    public const string Name = "Subnet";
    public const string ListName = "SubnetList";

    public VifSubnet()
        : base("1.0")
    {
    }

    public override string ObjectName => Name;

    public string? Cidr { get; set; }

    /// <summary>DNS servers (Neutron <c>dns_nameservers</c>).</summary>
    public IList<string>? Dns { get; set; }

    public string? Gateway { get; set; }

    /// <summary><c>RouteList</c> (Neutron <c>host_routes</c>).</summary>
    public OvoList<VifRoute>? Routes { get; set; }

    /// <summary><c>FixedIPList</c>: the port's addresses on this subnet.</summary>
    public OvoList<VifFixedIp>? Ips { get; set; }

    internal override void CollectFields(IDictionary<string, object?> fields)
    {
        fields["cidr"] = Cidr;
        fields["dns"] = Dns;
        fields["gateway"] = Gateway;
        fields["routes"] = Routes;
        fields["ips"] = Ips;
    }

    internal override bool TryReadField(string name, JsonNode node, OvoReader reader, string path)
    {
        switch (name)
        {
            case "cidr": Cidr = OvoReader.ReadString(node, path); return true;
            case "dns": Dns = OvoReader.ReadStringArray(node, path); return true;
            case "gateway": Gateway = OvoReader.ReadString(node, path); return true;
            case "routes": Routes = reader.ReadList<VifRoute>(node, path, VifRoute.ListName); return true;
            case "ips": Ips = reader.ReadList<VifFixedIp>(node, path, VifFixedIp.ListName); return true;
            default: return false;
        }
    }
}

/// <summary>os-vif <c>FixedIP</c>.</summary>
public sealed class VifFixedIp : OvoObject
{
    public const string Name = "FixedIP";
    public const string ListName = "FixedIPList";

    public VifFixedIp()
        : base("1.0")
    {
    }

    public override string ObjectName => Name;

    public string? Address { get; set; }

    internal override void CollectFields(IDictionary<string, object?> fields) => fields["address"] = Address;

    internal override bool TryReadField(string name, JsonNode node, OvoReader reader, string path)
    {
        if (name != "address")
        {
            return false;
        }

        Address = OvoReader.ReadString(node, path);
        return true;
    }
}

/// <summary>os-vif <c>Route</c>.</summary>
public sealed class VifRoute : OvoObject
{
    public const string Name = "Route";
    public const string ListName = "RouteList";

    public VifRoute()
        : base("1.0")
    {
    }

    public override string ObjectName => Name;

    public string? Cidr { get; set; }

    public string? Gateway { get; set; }

    public string? Interface { get; set; }

    internal override void CollectFields(IDictionary<string, object?> fields)
    {
        fields["cidr"] = Cidr;
        fields["gateway"] = Gateway;
        fields["interface"] = Interface;
    }

    internal override bool TryReadField(string name, JsonNode node, OvoReader reader, string path)
    {
        switch (name)
        {
            case "cidr": Cidr = OvoReader.ReadString(node, path); return true;
            case "gateway": Gateway = OvoReader.ReadString(node, path); return true;
            case "interface": Interface = OvoReader.ReadString(node, path); return true;
            default: return false;
        }
    }
}
