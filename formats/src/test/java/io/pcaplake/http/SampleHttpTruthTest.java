package io.pcaplake.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pcaplake.capture.FileByteSource;
import io.pcaplake.flow.AnomalyRecord;
import io.pcaplake.flow.LocalFlows;
import io.pcaplake.synth.Format;
import io.pcaplake.synth.SampleCapture;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's sample capture through the HTTP stage: the anchor query's answer, and no raw token in the rows. */
class SampleHttpTruthTest {
  @TempDir
  static Path dir;
  static SampleCapture.Truth truth;
  static Path file;

  @BeforeAll
  static void write() throws Exception {
    file = dir.resolve("sample.pcapng");
    truth = SampleCapture.write(file, Format.PCAPNG);
  }

  static List<HttpRecord> run(SecretsOptions o, List<AnomalyRecord> anomalies) throws Exception {
    List<HttpRecord> rows = new ArrayList<>();
    LocalFlows.run(List.of("sample.pcapng"), List.of(new FileByteSource(file)), null,
        fa -> HttpStage.attach(fa, o, rows::add, anomalies::add));
    return rows;
  }

  @Test
  void unauthorizedQueryGivesTheRevokedTokensFingerprint() throws Exception {
    SecretsOptions o = SecretsOptions.of("team-key", false);
    List<HttpRecord> rows = run(o, new ArrayList<>());
    assertEquals(truth.requests(), rows.size());
    // SELECT auth_token_fp, count(*) FROM http WHERE status_code = 401 GROUP BY auth_token_fp ORDER BY 2 DESC
    Map<String, Integer> byFp = new TreeMap<>();
    for (HttpRecord r : rows) {
      if (r.statusCode() != null && r.statusCode() == 401) {
        byFp.merge(String.valueOf(r.authTokenFp()), 1, Integer::sum);
      }
    }
    String fp = new Secrets(o).fingerprint(truth.revokedToken());
    assertEquals(Map.of(fp, truth.unauthorized()), byFp);
    for (HttpRecord r : rows) {
      if (r.statusCode() != null && r.statusCode() == 401) {
        assertEquals("bearer", r.authScheme());
        assertEquals(SampleCapture.OFFENDING_CLIENT, r.clientIp());
        assertTrue(r.requestHeaders().stream().anyMatch(h -> h.value().equals("fp:" + fp)), r.toString());
      }
    }
    assertFalse(fp.equals(new Secrets(SecretsOptions.defaults()).fingerprint(truth.revokedToken())), "keyed");
  }

  /** hashBodies(false) (the console's text blocks) drops only the body hashes; every other column is the same. */
  @Test
  void bodyHashesCanBeSkipped() throws Exception {
    List<HttpRecord> hashed = run(SecretsOptions.defaults(), new ArrayList<>());
    List<HttpRecord> plain = new ArrayList<>();
    LocalFlows.run(List.of("sample.pcapng"), List.of(new FileByteSource(file)), null,
        fa -> HttpStage.attach(fa, SecretsOptions.defaults(), plain::add, a -> { }).hashBodies(false));
    assertEquals(hashed.size(), plain.size());
    assertTrue(hashed.stream().filter(r -> r.responseBodySha256() != null).count() > truth.requests() / 2);
    assertTrue(plain.stream().allMatch(r -> r.responseBodySha256() == null && r.requestBodySha256() == null));
    for (int i = 0; i < hashed.size(); i++) {
      List<Object> want = new ArrayList<>(hashed.get(i).values());
      List<Object> got = new ArrayList<>(plain.get(i).values());
      int resp = HttpRecord.COLUMNS.indexOf("response_body_sha256");
      int req = HttpRecord.COLUMNS.indexOf("request_body_sha256");
      want.set(resp, null);
      want.set(req, null);
      assertEquals(want, got);
    }
  }

  @Test
  void rawTokenNowhereUnlessKeepSecrets() throws Exception {
    String token = truth.revokedToken();
    List<AnomalyRecord> an = new ArrayList<>();
    List<HttpRecord> hidden = run(SecretsOptions.defaults(), an);
    for (HttpRecord r : hidden) {
      for (Object v : r.values()) {
        assertFalse(String.valueOf(v).contains(token), "raw token in " + r);
      }
    }
    for (AnomalyRecord a : an) {
      assertFalse(a.toString().contains(token), a.toString());
    }
    List<HttpRecord> kept = run(new SecretsOptions(null, true), new ArrayList<>());
    long unauthorizedWithToken = kept.stream().filter(r -> r.statusCode() != null && r.statusCode() == 401)
        .filter(r -> r.values().stream().anyMatch(v -> String.valueOf(v).contains(token))).count();
    assertEquals(truth.unauthorized(), unauthorizedWithToken, "--keep-secrets keeps the raw header in each 401");
  }

  @Test
  void rowsCarryConnectionColumns() throws Exception {
    List<HttpRecord> rows = run(SecretsOptions.defaults(), new ArrayList<>());
    for (HttpRecord r : rows) {
      assertEquals(SampleCapture.SERVER, r.serverIp());
      assertEquals(SampleCapture.SERVER_PORT, r.serverPort());
      assertEquals("sample.pcapng", r.captureFile());
      assertEquals(HttpRecord.COLUMNS.size(), r.values().size());
      assertTrue(r.requestComplete() && r.responseComplete(), r.toString());
      assertTrue(r.latencyMs() >= 0);
      assertEquals(r.dt(), r.dt().substring(0, 10));
    }
  }
}
