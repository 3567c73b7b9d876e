using System.Text.Json.Nodes;

namespace Kuryr.Vifs.Model;

/// <summary>os-vif <c>VIFBase</c>: what every VIF carries. <see cref="VifName"/> is declared here
/// because every VIF class Kuryr writes has it.</summary>
public abstract class VifBase : OvoObject
{
    protected VifBase(string version)
        : base(version)
    {
    }

    /// <summary>Neutron port id.</summary>
    public string? Id { get; set; }

    /// <summary>MAC address.</summary>
    public string? Address { get; set; }

    public VifNetwork? Network { get; set; }

    /// <summary>os-vif plugin: <c>ovs</c> (from <c>binding:vif_type</c>) or <c>noop</c> (nested).</summary>
    public string? Plugin { get; set; }

    /// <summary>Neutron <c>status == ACTIVE</c> when the VIF was built.</summary>
    public bool? Active { get; set; }

    public bool? PreserveOnDelete { get; set; }

    /// <summary>Neutron <c>binding:vif_details.port_filter</c>.</summary>
    public bool? HasTrafficFiltering { get; set; }

    public VifPortProfile? PortProfile { get; set; }

    /// <summary>Host-side device name: <c>tap</c> + port id, 14 characters.</summary>
    public string? VifName { get; set; }

    internal override void CollectFields(IDictionary<string, object?> fields)
    {
        fields["id"] = Id;
        fields["address"] = Address;
        fields["network"] = Network;
        fields["plugin"] = Plugin;
        fields["active"] = Active;
        fields["preserve_on_delete"] = PreserveOnDelete;
        fields["has_traffic_filtering"] = HasTrafficFiltering;
        fields["port_profile"] = PortProfile;
        fields["vif_name"] = VifName;
    }

    internal override bool TryReadField(string name, JsonNode node, OvoReader reader, string path)
    {
        switch (name)
        {
            case "id": Id = OvoReader.ReadString(node, path); return true;
            case "address": Address = OvoReader.ReadString(node, path); return true;
            case "network": Network = reader.ReadObject<VifNetwork>(node, path); return true;
            case "plugin": Plugin = OvoReader.ReadString(node, path); return true;
            case "active": Active = OvoReader.ReadBool(node, path); return true;
            case "preserve_on_delete": PreserveOnDelete = OvoReader.ReadBool(node, path); return true;
            case "has_traffic_filtering": HasTrafficFiltering = OvoReader.ReadBool(node, path); return true;
            case "port_profile": PortProfile = reader.ReadObject<VifPortProfile>(node, path); return true;
            case "vif_name": VifName = OvoReader.ReadString(node, path); return true;
            default: return false;
        }
    }
}

/// <summary>An os-vif VIF plugged through a bridge: its <c>bridge_name</c> field.</summary>
public abstract class VifWithBridge : VifBase
{
    protected VifWithBridge(string version)
        : base(version)
    {
    }

    /// <summary>The bridge the VIF is plugged into.</summary>
    public string? BridgeName { get; set; }

    internal override void CollectFields(IDictionary<string, object?> fields)
    {
        base.CollectFields(fields);
        fields["bridge_name"] = BridgeName;
    }

    internal override bool TryReadField(string name, JsonNode node, OvoReader reader, string path)
    {
        if (name == "bridge_name")
        {
            BridgeName = OvoReader.ReadString(node, path);
            return true;
        }

        return base.TryReadField(name, node, reader, path);
    }
}

/// <summary>os-vif <c>VIFOpenVSwitch</c>: a tap plugged straight into the OVS bridge
/// (<see cref="VifWithBridge.BridgeName"/> is the same as <c>network.bridge</c>).</summary>
public sealed class VifOpenVSwitch : VifWithBridge
{
    public const string Name = "VIFOpenVSwitch";

    public VifOpenVSwitch()
        : base("1.0")
    {
    }

    public override string ObjectName => Name;
}

/// <summary>os-vif <c>VIFBridge</c>: OVS hybrid plug (<c>ovs_hybrid_plug</c>), through the Linux
/// bridge <c>qbr</c> + port id (14 characters, <see cref="VifWithBridge.BridgeName"/>). Not a
/// Linux-bridge-agent VIF.</summary>
public sealed class VifBridge : VifWithBridge
{
    public const string Name = "VIFBridge";

    public VifBridge()
        : base("1.0")
    {
    }

    public override string ObjectName => Name;
}

/// <summary>Kuryr's <c>VIFVlanNested</c>: a trunk subport reached through a VLAN device in the VM.</summary>
public sealed class VifVlanNested : VifBase
{
    public const string Name = "VIFVlanNested";

    public VifVlanNested()
        : base("1.0")
    {
    }

    public override string ObjectName => Name;

    /// <summary>Segmentation id of the subport on the trunk.</summary>
    public int? VlanId { get; set; }

    internal override void CollectFields(IDictionary<string, object?> fields)
    {
        base.CollectFields(fields);
        fields["vlan_id"] = VlanId;
    }

    internal override bool TryReadField(string name, JsonNode node, OvoReader reader, string path)
    {
        if (name == "vlan_id")
        {
            VlanId = OvoReader.ReadInt(node, path);
            return true;
        }

        return base.TryReadField(name, node, reader, path);
    }
}

/// <summary>Kuryr's <c>VIFMacvlanNested</c>: a macvlan on the VM's interface (allowed address pairs).</summary>
public sealed class VifMacvlanNested : VifBase
{
    public const string Name = "VIFMacvlanNested";

    public VifMacvlanNested()
        : base("1.0")
    {
    }

    public override string ObjectName => Name;
}

/// <summary>A port profile (os-vif <c>VIFPortProfileBase</c> subclasses).</summary>
public abstract class VifPortProfile : OvoObject
{
    protected VifPortProfile(string version)
        : base(version)
    {
    }
}

/// <summary>os-vif <c>VIFPortProfileOpenVSwitch</c>.</summary>
public sealed class VifPortProfileOpenVSwitch : VifPortProfile
{
    public const string Name = "VIFPortProfileOpenVSwitch";

    public VifPortProfileOpenVSwitch()
        : base("1.0")
    {
    }

    public override string ObjectName => Name;

    /// <summary>The Neutron port id (OVS <c>external_ids:iface-id</c>).</summary>
    public string? InterfaceId { get; set; }

    public string? ProfileId { get; set; }

    internal override void CollectFields(IDictionary<string, object?> fields)
    {
        fields["interface_id"] = InterfaceId;
        fields["profile_id"] = ProfileId;
    }

    internal override bool TryReadField(string name, JsonNode node, OvoReader reader, string path)
    {
        switch (name)
        {
            case "interface_id": InterfaceId = OvoReader.ReadString(node, path); return true;
            case "profile_id": ProfileId = OvoReader.ReadString(node, path); return true;
            default: return false;
        }
    }
}

/// <summary>Any other port profile class: kept as read (every field in <see cref="OvoObject.ExtraFields"/>).</summary>
public sealed class VifPortProfileOther : VifPortProfile
{
    public VifPortProfileOther(string name, string version)
        : base(version)
    {
        ObjectName = name;
    }

    public override string ObjectName { get; }

    internal override void CollectFields(IDictionary<string, object?> fields)
    {
    }

    internal override bool TryReadField(string name, JsonNode node, OvoReader reader, string path) => false;
}
