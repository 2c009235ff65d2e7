package io.pcaplake;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pcaplake.flow.FlowTable;
import io.pcaplake.http.HttpLimits;
import io.pcaplake.packet.DecoderLimits;
import io.pcaplake.tcp.TcpLimits;
import java.lang.reflect.Field;
import java.lang.reflect.RecordComponent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Every limit has a row in docs/limits.md ({@code | `name` | default | ...}) whose default is the value the code
 * has: each component of the four limit records (read from their {@code DEFAULTS}) and each fixed bound constant.
 */
class LimitsDocumentedTest {
  private static final Pattern ROW = Pattern.compile("^\\| `([A-Za-z0-9_.]+)` \\| (\\d+) \\|", Pattern.MULTILINE);

  /** Fixed bounds that are constants, not record components: class name (in formats) and field. */
  private static final String[][] CONSTANTS = {
      {"capture.PcapRecordRules", "LIBPCAP_MAX_SNAPLEN"}, {"capture.PcapRecordRules", "MAX_SNAPLEN_HONOURED"},
      {"capture.PcapRecordRules", "MAX_TS_STEP_SECONDS"}, {"capture.PcapRecordRules", "CHAIN"},
      {"capture.PcapngBlocks", "MAX_BLOCK"}, {"capture.PcapngReader", "CHAIN"},
      {"packet.Ipv6", "MAX_EXTENSION_HEADERS"}, {"packet.LinkLayer", "MAX_MPLS_LABELS"},
      {"http.Jwt", "MAX_TOKEN"},
      {"filter.Parser", "MAX_NESTING"}, {"filter.Parser", "MAX_PRIMITIVES"},
  };

  @Test
  void everyLimitHasARowWithItsDefault() throws Exception {
    Path doc = Path.of("..", "docs", "limits.md");
    assertTrue(Files.exists(doc), "docs/limits.md next to the formats module");
    Map<String, Long> documented = new LinkedHashMap<>();
    Matcher m = ROW.matcher(Files.readString(doc));
    while (m.find()) {
      documented.put(m.group(1), Long.parseLong(m.group(2)));
    }
    Map<String, Long> actual = new LinkedHashMap<>();
    for (Object defaults : new Object[] {DecoderLimits.DEFAULTS, TcpLimits.DEFAULTS, HttpLimits.DEFAULTS,
        FlowTable.Limits.DEFAULTS}) {
      for (RecordComponent c : defaults.getClass().getRecordComponents()) {
        actual.put(c.getName(), ((Number) c.getAccessor().invoke(defaults)).longValue());
      }
    }
    for (String[] c : CONSTANTS) {
      Field f = Class.forName("io.pcaplake." + c[0]).getDeclaredField(c[1]);
      f.setAccessible(true);
      String simple = c[0].substring(c[0].indexOf('.') + 1);
      actual.put(simple + "." + c[1], ((Number) f.get(null)).longValue());
    }
    assertTrue(actual.size() >= 32, "limits found: " + actual.size());
    List<String> wrong = new ArrayList<>();
    actual.forEach((name, value) -> {
      Long doc1 = documented.get(name);
      if (!value.equals(doc1)) {
        wrong.add(name + " is " + value + ", docs/limits.md says " + doc1);
      }
    });
    assertEquals(List.of(), wrong, "limits missing from docs/limits.md or with another default there");
  }
}
