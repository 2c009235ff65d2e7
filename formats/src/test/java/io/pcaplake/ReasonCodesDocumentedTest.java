package io.pcaplake;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pcaplake.capture.CaptureReasons;
import io.pcaplake.http.HttpReasons;
import io.pcaplake.packet.PacketReasons;
import io.pcaplake.tcp.TcpReasons;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Every reason code constant is stable-looking (dotted lower case) and has a row in docs/anomalies.md. */
class ReasonCodesDocumentedTest {
  private static final Pattern CODE = Pattern.compile("[a-z]+\\.[a-z0-9_]+");

  @Test
  void everyReasonCodeIsDocumented() throws Exception {
    Path doc = Path.of("..", "docs", "anomalies.md");
    assertTrue(Files.exists(doc), "docs/anomalies.md next to the formats module");
    String text = Files.readString(doc);
    List<String> codes = new ArrayList<>();
    for (Class<?> holder : new Class<?>[] {CaptureReasons.class, PacketReasons.class, TcpReasons.class,
        HttpReasons.class, io.pcaplake.flow.FlowReasons.class}) {
      for (Field f : holder.getDeclaredFields()) {
        if (Modifier.isStatic(f.getModifiers()) && f.getType() == String.class) {
          f.setAccessible(true);
          codes.add((String) f.get(null));
        }
      }
    }
    assertTrue(codes.size() > 30, "reason constants found: " + codes.size());
    List<String> missing = new ArrayList<>();
    for (String code : codes) {
      assertTrue(CODE.matcher(code).matches(), "not a dotted lower-case code: " + code);
      if (!text.contains("`" + code + "`")) {
        missing.add(code);
      }
    }
    assertEquals(List.of(), missing, "reason codes without a row in docs/anomalies.md");
  }
}
