package io.pcaplake.synth;

import java.util.List;

/**
 * What one TCP connection of a {@link TcpConversation} carried: the bytes each side's application wrote, in stream
 * order, and the ranges the capture missed. A first-wins reassembler over the captured packets must yield these
 * bytes outside the gaps.
 */
public record ConnectionTruth(int index, long clientIsn, long serverIsn, boolean handshake, byte[] clientBytes,
                              byte[] serverBytes, List<StreamGap> gaps) {
  public ConnectionTruth {
    gaps = List.copyOf(gaps);
  }

  public byte[] bytes(Side side) {
    return side == Side.CLIENT ? clientBytes : serverBytes;
  }
}
