package io.meshnode.bootstrap;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code MESH_CLUSTER_MEMBERS}: a comma list of {@code host} or {@code host:port}. A member without a port is tried
 * on the first ports from {@code MESH_CLUSTER_PORT} on; a port range ({@code host:5701-5703}) is refused here with a
 * message, because Hazelcast 5.3 fails on it at join time instead.
 */
final class ClusterMembers {

  private ClusterMembers() {
  }

  /** The members of {@code raw}, trimmed; throws {@link IllegalArgumentException} naming the bad entry. */
  static List<String> parse(String variable, String raw) {
    List<String> members = new ArrayList<>();
    for (String part : raw.split(",")) {
      String member = part.trim();
      if (member.isEmpty()) {
        continue;
      }
      int colon = member.lastIndexOf(':');
      if (colon == 0) {
        throw invalid(variable, member, "has no host");
      }
      if (colon > 0) {
        port(variable, member, member.substring(colon + 1));
      }
      members.add(member);
    }
    if (members.isEmpty()) {
      throw new IllegalArgumentException("invalid environment " + variable + ": lists no member, got '" + raw + "'");
    }
    return members;
  }

  /** A member port or {@code MESH_CLUSTER_PORT}: 1..65535. */
  static int port(String variable, String where, String raw) {
    if (raw.contains("-")) {
      throw invalid(variable, where, "is a port range, which Hazelcast 5.3 cannot join: list each member as "
        + "host or host:port (members without a port are tried on the ports from MESH_CLUSTER_PORT on)");
    }
    try {
      int port = Integer.parseInt(raw.trim());
      if (port >= 1 && port <= 65_535) {
        return port;
      }
    } catch (NumberFormatException ignored) {
      // reported below
    }
    throw invalid(variable, where, "needs a port between 1 and 65535");
  }

  private static IllegalArgumentException invalid(String variable, String member, String problem) {
    return new IllegalArgumentException("invalid environment " + variable + ": '" + member + "' " + problem);
  }
}
