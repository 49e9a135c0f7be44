package io.abrfetch.player.load.cluster;

import java.util.Objects;

/**
 * A cluster member's Hazelcast address as given on the command line: {@code host:port}, with
 * IPv6 literals in brackets ({@code [::1]:5701}). Immutable.
 *
 * @param host a host name or IP literal (without brackets)
 * @param port 1..65535
 */
public record HostPort(String host, int port) {

  public HostPort {
    Objects.requireNonNull(host, "host");
    if (host.isBlank()) {
      throw new IllegalArgumentException("member host: '' (expected: a host name or IP address)");
    }
    if (port < 1 || port > 65_535) {
      throw new IllegalArgumentException(
          "member " + host + " port: " + port + " (expected: 1..65535)");
    }
  }

  /**
   * Parses {@code host:port} or {@code [v6]:port}.
   *
   * @throws IllegalArgumentException naming the text when it does not parse
   */
  public static HostPort parse(String text) {
    String trimmed = text.trim();
    int colon = trimmed.lastIndexOf(':');
    if (colon <= 0 || colon == trimmed.length() - 1) {
      throw new IllegalArgumentException("member '" + text + "' (expected: host:port)");
    }
    String host = trimmed.substring(0, colon);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    } else if (host.indexOf(':') >= 0) {
      throw new IllegalArgumentException(
          "member '" + text + "' (expected: host:port, an IPv6 address in brackets)");
    }
    int port;
    try {
      port = Integer.parseInt(trimmed.substring(colon + 1));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("member '" + text + "' port '"
          + trimmed.substring(colon + 1) + "' (expected: 1..65535)");
    }
    return new HostPort(host, port);
  }

  /** The form Hazelcast's TCP-IP member list takes: {@code host:port}, IPv6 in brackets. */
  @Override
  public String toString() {
    return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
  }
}
