package io.pcaplake.flow;

/**
 * What tcpflow's report.xml says about one direction of a connection (one {@code <fileobject>}), plus our extras.
 *
 * @param fromClient true for client-to-server
 * @param srcIp sender address text ({@code inet_ntop} form)
 * @param srcPort sender port
 * @param dstIp receiver address text
 * @param dstPort receiver port
 * @param firstTs capture time of this direction's first packet, ns ({@code startime})
 * @param lastTs capture time of this direction's last packet, ns ({@code endtime})
 * @param packets segments sent this way, including pure ACKs
 * @param wireLen sum of the frames' original lengths (pcap {@code len}, link header included)
 * @param capLen sum of the frames' captured lengths (pcap {@code caplen})
 * @param srcMac source MAC of the first packet (48 bits), or -1 when not Ethernet
 * @param dstMac destination MAC of the first packet, or -1
 * @param filesize highest stream offset delivered + 1 (tcpflow's {@code last_byte}: interior gaps included, a
 *     trailing gap not)
 * @param outOfOrderCount segments held above a hole (our reassembler's count; tcpflow counts backward seeks)
 * @param violations tcpflow's violations: SYN with data, data before the ISN after a SYN (0 unless we see them)
 * @param missingBytes stream bytes never captured (gaps, snaplen cuts) in this direction
 */
public record DirectionReport(boolean fromClient, String srcIp, int srcPort, String dstIp, int dstPort, long firstTs,
                              long lastTs, long packets, long wireLen, long capLen, long srcMac, long dstMac,
                              long filesize, long outOfOrderCount, long violations, long missingBytes) { }
