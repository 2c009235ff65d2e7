package io.pcaplake.hadoop;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.Arrays;
import org.apache.hadoop.io.Writable;

/**
 * One capture record as a Hadoop value: timestamp (ns since the epoch), link type, captured and original length,
 * and the captured bytes. The record reader reuses one instance; {@link #copy()} when you keep it.
 */
public final class PacketWritable implements Writable {
  private long timestampNanos;
  private int linkType;
  private int origlen;
  private byte[] bytes = new byte[0];
  private int caplen;

  public long timestampNanos() { return timestampNanos; }
  public int linkType() { return linkType; }
  public int caplen() { return caplen; }
  public int origlen() { return origlen; }

  /** The backing buffer; only the first {@link #caplen()} bytes belong to this record. */
  public byte[] buffer() { return bytes; }

  /** A copy of exactly the captured bytes. */
  public byte[] bytes() { return Arrays.copyOf(bytes, caplen); }

  /** Sets this record, copying {@code caplen} bytes from {@code data} at {@code offset} into the reused buffer. */
  public void set(long timestampNanos, int linkType, int origlen, byte[] data, int offset, int caplen) {
    this.timestampNanos = timestampNanos;
    this.linkType = linkType;
    this.origlen = origlen;
    ensure(caplen);
    System.arraycopy(data, offset, bytes, 0, caplen);
    this.caplen = caplen;
  }

  public PacketWritable copy() {
    PacketWritable c = new PacketWritable();
    c.set(timestampNanos, linkType, origlen, bytes, 0, caplen);
    return c;
  }

  private void ensure(int n) {
    if (bytes.length < n) {
      bytes = new byte[Math.max(n, bytes.length * 2)];
    }
  }

  @Override
  public void write(DataOutput out) throws IOException {
    out.writeLong(timestampNanos);
    out.writeInt(linkType);
    out.writeInt(origlen);
    out.writeInt(caplen);
    out.write(bytes, 0, caplen);
  }

  @Override
  public void readFields(DataInput in) throws IOException {
    timestampNanos = in.readLong();
    linkType = in.readInt();
    origlen = in.readInt();
    int n = in.readInt();
    if (n < 0) {
      throw new IOException("negative caplen " + n);
    }
    ensure(n);
    in.readFully(bytes, 0, n);
    caplen = n;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PacketWritable p && p.timestampNanos == timestampNanos && p.linkType == linkType
        && p.origlen == origlen && Arrays.equals(p.bytes, 0, p.caplen, bytes, 0, caplen);
  }

  @Override
  public int hashCode() {
    return Long.hashCode(timestampNanos) * 31 + Arrays.hashCode(bytes());
  }

  @Override
  public String toString() {
    return "PacketWritable[ts_ns=" + timestampNanos + ", link_type=" + linkType + ", caplen=" + caplen
        + ", origlen=" + origlen + "]";
  }
}
