package io.pcaplake.flow;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/**
 * Community ID v1 flow hash (https://github.com/corelight/community-id-spec): {@code "1:" + base64(SHA-1(seed(2 BE)
 * saddr daddr proto(1) pad(1)=0 sport(2 BE) dport(2 BE)))}, endpoints ordered so the smaller (address, port) is
 * the source: the same order as {@link FlowKey}'s A. Ports are used for TCP, UDP and SCTP; other protocols hash
 * without ports (ICMP type/code mapping is not needed here and not implemented).
 */
public final class CommunityId {
  private CommunityId() { }

  /** Community ID with seed 0. */
  public static String of(FlowKey key) {
    return of(key, 0);
  }

  public static String of(FlowKey key, int seed) {
    return hash(seed, key.addrA(), key.addrB(), key.protocol(), key.portA(), key.portB());
  }

  /** From one packet's endpoints, either direction. */
  public static String of(byte[] src, int srcPort, byte[] dst, int dstPort, int protocol, int seed) {
    return FlowKey.isFromA(src, srcPort, dst, dstPort)
        ? hash(seed, src, dst, protocol, srcPort, dstPort)
        : hash(seed, dst, src, protocol, dstPort, srcPort);
  }

  private static String hash(int seed, byte[] a, byte[] b, int protocol, int portA, int portB) {
    MessageDigest sha1;
    try {
      sha1 = MessageDigest.getInstance("SHA-1");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-1 is required by every JRE", e);
    }
    sha1.update((byte) (seed >>> 8));
    sha1.update((byte) seed);
    sha1.update(a);
    sha1.update(b);
    sha1.update((byte) protocol);
    sha1.update((byte) 0);
    if (protocol == 6 || protocol == 17 || protocol == 132) {
      sha1.update(new byte[] {(byte) (portA >>> 8), (byte) portA, (byte) (portB >>> 8), (byte) portB});
    }
    return "1:" + Base64.getEncoder().encodeToString(sha1.digest());
  }
}
