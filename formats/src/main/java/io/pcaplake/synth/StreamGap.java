package io.pcaplake.synth;

/**
 * Bytes a side sent that the capture does not hold (dropped, never retransmitted).
 *
 * @param offset stream offset (0 = first byte after the SYN)
 */
public record StreamGap(Side side, long offset, int length) { }
