using System.Net;
using System.Net.Sockets;

namespace EccoStudio.Storage.Rules;

/// <summary>
/// Which IP addresses an outbound alert may connect to: public unicast only. Refused: unspecified, loopback, private
/// (10/8, 172.16/12, 192.168/16), link-local (169.254/16 — cloud metadata — and fe80::/10), CGNAT (100.64/10),
/// IETF-reserved and benchmarking ranges, multicast and broadcast, IPv6 ULA (fc00::/7), site-local, and every IPv6
/// form that embeds an IPv4 address (IPv4-mapped ::ffff:0:0/96, IPv4-compatible, NAT64 64:ff9b::/96, 6to4 2002::/16,
/// Teredo 2001::/32): those are refused outright rather than unwrapped, since no webhook needs them.
/// </summary>
public static class NetworkAddresses
{
    public static bool IsPublic(IPAddress address) => address.AddressFamily switch
    {
        AddressFamily.InterNetwork => IsPublicV4(address.GetAddressBytes()),
        AddressFamily.InterNetworkV6 => IsPublicV6(address),
        _ => false,
    };

    private static bool IsPublicV4(byte[] b) => b[0] switch
    {
        0 or 10 or 127 => false,
        >= 224 => false, // multicast 224/4, reserved 240/4, broadcast
        100 when (b[1] & 0xC0) == 64 => false, // CGNAT 100.64/10
        169 when b[1] == 254 => false, // link-local, metadata endpoints
        172 when (b[1] & 0xF0) == 16 => false,
        192 when b[1] == 168 => false,
        192 when b[1] == 0 && b[2] is 0 or 2 => false, // IETF protocol assignments, TEST-NET-1
        198 when b[1] is 18 or 19 => false, // benchmarking
        198 when b[1] == 51 && b[2] == 100 => false, // TEST-NET-2
        203 when b[1] == 0 && b[2] == 113 => false, // TEST-NET-3
        _ => true,
    };

    private static bool IsPublicV6(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6 || address.IsIPv6LinkLocal || address.IsIPv6SiteLocal || address.IsIPv6Multicast
            || address.IsIPv6Teredo || address.IsIPv6UniqueLocal || IPAddress.IPv6Loopback.Equals(address) || IPAddress.IPv6Any.Equals(address))
        {
            return false;
        }

        var b = address.GetAddressBytes();
        if (b.AsSpan(0, 12).IndexOfAnyExcept((byte)0) < 0)
        {
            return false; // ::/96 (IPv4-compatible, deprecated)
        }

        if (b[0] == 0x00 && b[1] == 0x64 && b[2] == 0xff && b[3] == 0x9b)
        {
            return false; // NAT64 64:ff9b::/96 (and the local-use 64:ff9b:1::/48)
        }

        if (b[0] == 0x20 && b[1] == 0x02)
        {
            return false; // 6to4
        }

        if (b[0] == 0x20 && b[1] == 0x01 && b[2] == 0x0d && b[3] == 0xb8)
        {
            return false; // documentation 2001:db8::/32
        }

        return (b[0] & 0xE0) == 0x20; // global unicast 2000::/3 only
    }
}
