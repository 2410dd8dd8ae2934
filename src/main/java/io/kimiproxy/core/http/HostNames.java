package io.kimiproxy.core.http;

import io.netty.util.NetUtil;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Locale;

/**
 * What a host name is, decided by parsing, never by its first characters: a DNS rebinding page
 * arrives as {@code 127.0.0.1.evil.example}, which starts like a loopback address but is a name
 * the attacker's DNS server answers for.
 */
public final class HostNames {
  private HostNames() {}

  /** {@code localhost}, or an IPv4 or IPv6 literal of the loopback network (127.0.0.0/8, ::1). */
  public static boolean isLoopback(String host) {
    if (host.equalsIgnoreCase("localhost")) return true;
    byte[] address = literal(host);
    if (address == null) return false;
    try {
      return InetAddress.getByAddress(address).isLoopbackAddress(); // bytes only: no lookup
    } catch (UnknownHostException impossible) {
      return false;
    }
  }

  /**
   * An IPv4 dotted quad ({@code 10.0.0.7}) or a bracketed IPv6 literal ({@code [::1]}), as a Host
   * header carries them. No DNS server answers for an address, so it cannot be rebound.
   */
  public static boolean isIpLiteral(String host) {
    if (host.startsWith("[")) return host.endsWith("]") && NetUtil.isValidIpV6Address(host);
    return NetUtil.isValidIpV4Address(host);
  }

  /** The name as compared: lower case, IPv6 literals in brackets. */
  public static String normalized(String host) {
    String h = host.toLowerCase(Locale.ROOT);
    return h.indexOf(':') >= 0 && !h.startsWith("[") ? "[" + h + "]" : h;
  }

  private static byte[] literal(String host) {
    if (host.startsWith("[") != host.endsWith("]")) return null;
    return NetUtil.createByteArrayFromIpAddressString(host);
  }
}
