package io.pcaplake.hadoop;

import io.pcaplake.capture.SplitState;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.mapreduce.lib.input.FileSplit;

/**
 * A {@link FileSplit} of a pcapng file that also carries its encoded {@link SplitState} (from
 * {@link PcapInputFormat#getSplits}'s one walk over the file), so its reader starts at once instead of walking the file
 * up to the split start. Serialized as the FileSplit plus the state bytes.
 */
public final class PcapFileSplit extends FileSplit {
  private byte[] state;

  /** For Hadoop's deserialization. */
  public PcapFileSplit() { }

  PcapFileSplit(Path file, long start, long length, String[] hosts, byte[] state) {
    super(file, start, length, hosts);
    this.state = state;
  }

  /** The split's state, or null (its reader walks). */
  SplitState state() {
    return state == null ? null : SplitState.decode(state);
  }

  @Override
  public void write(DataOutput out) throws IOException {
    super.write(out);
    out.writeInt(state == null ? -1 : state.length);
    if (state != null) {
      out.write(state);
    }
  }

  @Override
  public void readFields(DataInput in) throws IOException {
    super.readFields(in);
    int n = in.readInt();
    if (n < -1 || n > 1 << 20) {
      throw new IOException("bad split state length " + n);
    }
    state = n < 0 ? null : new byte[n];
    if (state != null) {
      in.readFully(state);
    }
  }
}
