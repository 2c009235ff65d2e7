package io.pcaplake.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.apache.spark.network.util.JavaUtils;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The CLI's byte sizes read as Spark reads its own settings, without loading Spark. */
class ByteSizeTest {
  private final PacketsCommand.ByteSize size = new PacketsCommand.ByteSize();

  @Test
  void readsWhatSparkReads() {
    for (String v : new String[] {"1", "65536", "64k", "64K", "64kb", "128m", "128MB", "1g", "2gb", "3t", "1p", "17b",
        " 5m ", "1073741824"}) {
      assertEquals(JavaUtils.byteStringAsBytes(v.trim()), size.convert(v), v);
    }
  }

  @Test
  void refusesWhatIsNotAPositiveSize() {
    for (String v : new String[] {"", "k", "1.5g", "-1", "0", "12q", "1kk", "1 m", "99999999999999p", "0x10"}) {
      assertThrows(CommandLine.TypeConversionException.class, () -> size.convert(v), v);
    }
  }
}
