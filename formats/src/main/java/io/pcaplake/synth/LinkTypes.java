package io.pcaplake.synth;

/** LINKTYPE_* values (tcpdump.org/linktypes.html) and the constants their headers use. */
public final class LinkTypes {
  private LinkTypes() { }

  public static final int NULL = 0;
  public static final int ETHERNET = 1;
  public static final int RAW = 101;
  public static final int LOOP = 108;
  public static final int LINUX_SLL = 113;
  public static final int IPV4 = 228;
  public static final int IPV6 = 229;
  public static final int LINUX_SLL2 = 276;

  public static final int ETHERTYPE_IPV4 = 0x0800;
  public static final int ETHERTYPE_IPV6 = 0x86dd;
  public static final int ETHERTYPE_VLAN = 0x8100;
  public static final int ETHERTYPE_QINQ = 0x88a8;

  /** BSD address families as NULL/LOOP headers carry them. AF_INET6 differs per OS; 30 is Darwin's. */
  public static final int AF_INET = 2;
  public static final int AF_INET6_DARWIN = 30;
  public static final int AF_INET6_FREEBSD = 28;
  public static final int AF_INET6_OPENBSD = 24;

  /** Linux cooked-capture packet types. */
  public static final int SLL_HOST = 0;
  public static final int SLL_OUTGOING = 4;
  static final int ARPHRD_ETHER = 1;
}
