package io.pcaplake.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Credentials in URL parameters and in API-key-like headers: what {@link Secrets} masks and with which value. */
class UrlSecretsTest {
  final Secrets s = new Secrets(SecretsOptions.defaults());

  private String fp(String token) {
    return "fp:" + s.fingerprint(token);
  }

  @Test
  void everyDocumentedNameIsMaskedCaseInsensitively() {
    for (String name : UrlSecrets.NAMES) {
      for (String n : List.of(name, name.toUpperCase(java.util.Locale.ROOT))) {
        String uri = "/a?x=1&" + n + "=S3cr3tValue&y=2";
        assertEquals("/a?x=1&" + n + "=" + fp("S3cr3tValue") + "&y=2", s.maskUrl(uri), uri);
      }
    }
    for (String n : List.of("csrf_token", "X-Goog-Token", "client-secret", "admin_password", "stripe_key",
        "maps-key", "googleapikey")) {
      assertEquals("/?" + n + "=" + fp("v"), s.maskUrl("/?" + n + "=v"), n);
    }
  }

  @Test
  void otherParametersAndPathsStay() {
    String uri = "/api/transactions?page=2&sort=desc&monkey=1&keyword=x&tokens_left=3";
    assertSame(uri, s.maskUrl(uri));
    assertSame("/no/query", s.maskUrl("/no/query"));
    assertNull(s.maskUrl(null));
    assertEquals("/?token=&flag&token", s.maskUrl("/?token=&flag&token"), "empty or missing values stay");
  }

  @Test
  void valueIsPercentDecodedBeforeFingerprinting() {
    // A base64 key sent percent-encoded matches `pcaplake fingerprint` of the real key; '+' is kept as sent.
    assertEquals("/?api_key=" + fp("ab+c/d=="), s.maskUrl("/?api_key=ab+c%2Fd%3D%3D"));
    assertEquals("/?api%5Fkey=" + fp("k"), s.maskUrl("/?api%5Fkey=k"), "an encoded name is matched decoded");
    assertEquals("/?token=fp:" + s.fingerprint(new byte[] {(byte) 0xff, 'a'}), s.maskUrl("/?token=%FFa"),
        "non-UTF-8 bytes hashed as bytes");
    assertEquals("/?token=" + fp("é"), s.maskUrl("/?token=é"));
  }

  @Test
  void bareQueryFragmentsSeparatorsAndFullUrls() {
    assertEquals("access_token=" + fp("t1") + "&b=2", s.maskQuery("access_token=t1&b=2"));
    assertEquals("a=1;sig=" + fp("t2"), s.maskQuery("a=1;sig=t2"));
    assertEquals("/cb#access_token=" + fp("t3") + "&state=x", s.maskUrl("/cb#access_token=t3&state=x"),
        "OAuth implicit flow fragment");
    assertEquals("https://h.example/r?X-Amz-Signature=" + fp("abc") + "&X-Amz-Credential=" + fp("AKIA/x"),
        s.maskUrl("https://h.example/r?X-Amz-Signature=abc&X-Amz-Credential=AKIA%2Fx"));
    assertEquals("GET /x?password=" + fp("hunter2") + " HTTP/1.1",
        s.maskUrl("GET /x?password=hunter2 HTTP/1.1"), "a request line in an anomaly detail");
    String masked = s.maskUrl("/?token=abc");
    assertSame(masked, s.maskUrl(masked), "already masked values stay as they are");
  }

  @Test
  void keepSecretsKeepsEverything() {
    Secrets keep = new Secrets(new SecretsOptions(null, true));
    assertEquals("/?access_token=abc", keep.maskUrl("/?access_token=abc"));
    assertEquals("access_token=abc", keep.maskQuery("access_token=abc"));
    HttpHeader h = new HttpHeader("X-Api-Key", "k1");
    assertSame(h, keep.mask(h));
  }

  @Test
  void apiKeyLikeHeadersCookiesAndUrlHeaders() {
    for (String name : List.of("X-Api-Key", "Api-Key", "X-API-KEY", "apikey", "X-Auth-Token", "X-Access-Token",
        "X-CSRF-Token", "X-Amz-Security-Token", "X-Authorization", "X-Client-Secret", "X-Session-Id", "Cookie",
        "Set-Cookie", "set-cookie2", "Authorization ")) {
      assertTrue(HttpHeader.isSensitive(name), name);
      HttpHeader m = s.mask(new HttpHeader(name, "rawvalue123"));
      assertEquals(fp("rawvalue123"), m.value(), name);
      assertEquals(name, m.name());
    }
    for (String name : List.of("Host", "User-Agent", "Accept", "Content-Type", "X-Request-Id", "Referer")) {
      assertFalse(HttpHeader.isSensitive(name), name);
    }
    assertEquals("https://a.example/p?code=" + fp("c0de") + "&state=1",
        s.mask(new HttpHeader("Location", "https://a.example/p?code=c0de&state=1")).value());
    assertEquals("http://b.example/?api_key=" + fp("K"),
        s.mask(new HttpHeader("Referer", "http://b.example/?api_key=K")).value());
    HttpHeader plain = new HttpHeader("Content-Type", "text/html; charset=utf-8");
    assertSame(plain, s.mask(plain));
  }

  @Test
  void rowsMaskUriPathQueryRefererAndAnomalyDetails() {
    HttpRequest q = new HttpRequest(1_000L, "GET", "/a?access_token=tok1&x=1", "/a", "access_token=tok1&x=1",
        "HTTP/1.1", List.of(new HttpHeader("Host", "h"), new HttpHeader("Referer", "http://h/?apikey=tok2")),
        List.of(), null, null, true, 0);
    HttpExchange ex = new HttpExchange("f", 0, q, null, null, null, List.of());
    HttpRows rows = new HttpRows(SecretsOptions.defaults());
    HttpRecord r = rows.row("f", "c", "1.1.1.1", 1, "2.2.2.2", 80, null, 0L, ex, "cap");
    String all = r.values().toString();
    assertFalse(all.contains("tok1"), all);
    assertFalse(all.contains("tok2"), all);
    assertEquals("/a?access_token=" + fp("tok1") + "&x=1", r.uri());
    assertEquals("access_token=" + fp("tok1") + "&x=1", r.query());
    assertEquals("http://h/?apikey=" + fp("tok2"), r.referer());
    var a = rows.anomaly(new HttpAnomaly("f", 1L, true, 0, HttpReasons.NON_UTF8_URI, "/%FF?token=tok3"), "cap");
    assertEquals("client@0: /%FF?token=" + fp("tok3"), a.detail());

    HttpRecord kept = new HttpRows(new SecretsOptions(null, true)).row("f", "c", "1.1.1.1", 1, "2.2.2.2", 80, null,
        0L, ex, "cap");
    assertTrue(kept.values().toString().contains("tok1"));
    assertTrue(kept.values().toString().contains("tok2"));
  }
}
