package io.pcaplake.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

class SecretsTest {
  static final String JWT = "eyJhbGciOiAiSFMyNTYiLCAidHlwIjogIkpXVCJ9.eyJzdWIiOiAiYWxpY2UiLCAiZXhwIjogMTcxMDIzNDAwMC"
      + "wgImlhdCI6IDE3MTAyMzA0MDAsICJzY29wZSI6IHsiYSI6IFsxLCAifSJdfX0.c2ln";

  @Test
  void fingerprintIsTruncatedHmacSha256Hex() {
    // python3: hmac.new(key, b'abc', hashlib.sha256).hexdigest()[:32]
    assertEquals("7e36a0d9d02a7028a61d719cab289969", new Secrets(SecretsOptions.defaults()).fingerprint("abc"));
    assertEquals("f774e7d3ce0bcc5045efe21a3b3e7c3d", new Secrets(SecretsOptions.of("k2", false)).fingerprint("abc"));
    assertEquals(new Secrets(null).fingerprint("abc"), new Secrets(SecretsOptions.of("", false)).fingerprint("abc"));
  }

  @Test
  void bearerTokenIsAfterTheSchemeWord() {
    Secrets s = new Secrets(SecretsOptions.defaults());
    Credentials c = s.credentials("Bearer   abcdefghijklmnop ");
    assertEquals("bearer", c.scheme());
    assertEquals(s.fingerprint("abcdefghijklmnop"), c.tokenFp());
    assertEquals("mnop", c.tokenHint());
    assertEquals("jkl", s.credentials("Bearer abcdefghijkl").tokenHint(), "min(4, length/4)");
    assertNull(c.user());
    assertEquals("abc", Secrets.token("Bearer abc"));
    assertNull(s.credentials("Bearer abc").tokenHint(), "under 4 chars: no hint");
    Credentials bare = s.credentials("rawapikey123");
    assertNull(bare.scheme());
    assertEquals(s.fingerprint("rawapikey123"), bare.tokenFp());
    assertEquals(Credentials.NONE, s.credentials("  "));
    assertEquals(Credentials.NONE, s.credentials((String) null));
  }

  @Test
  void basicGivesTheUserOnlyAndNoHint() {
    Secrets s = new Secrets(SecretsOptions.defaults());
    String b64 = Base64.getEncoder().encodeToString("bob:s3cret:x".getBytes(StandardCharsets.UTF_8));
    Credentials c = s.credentials("BASIC " + b64);
    assertEquals("basic", c.scheme());
    assertEquals("bob", c.user());
    assertNull(c.tokenHint());
    assertEquals(s.fingerprint(b64), c.tokenFp());
    assertFalse(c.toString().contains("s3cret"));
    assertNull(s.credentials("Basic !!!notbase64").user());
  }

  @Test
  void digestUser() {
    Credentials c = new Secrets(null).credentials(
        "Digest realm=\"x\", username=\"carol\", nonce=\"n\", response=\"abcd\"");
    assertEquals("digest", c.scheme());
    assertEquals("carol", c.user());
    assertNull(c.tokenHint());
  }

  @Test
  void bearerJwtClaimsDecodedNotVerified() {
    Credentials c = new Secrets(null).credentials("Bearer " + JWT);
    assertEquals("alice", c.user());
    assertEquals(1710234000_000000L, c.jwtExp());
    assertEquals(1710230400_000000L, c.jwtIat());
    assertEquals("c2ln", c.tokenHint());
    Credentials notJwt = new Secrets(null).credentials("Bearer a.b.c");
    assertNull(notJwt.user());
    assertNull(notJwt.jwtExp());
    assertNull(Jwt.parse("x.y"));
    assertNull(Jwt.topLevel("{\"sub\": "));
    assertEquals("v", Jwt.topLevel("{\"a\":{\"sub\":\"no\"},\"sub\":\"v\"}").get("sub"));
  }

  @Test
  void maskingReplacesCredentialValuesUnlessKeepSecrets() {
    Secrets s = new Secrets(SecretsOptions.defaults());
    List<HttpHeader> in = List.of(new HttpHeader("Host", "h"), new HttpHeader("authorization", "Bearer tok123"),
        new HttpHeader("Proxy-Authorization", "Basic Ym9iOnB3"), new HttpHeader("Cookie", "sid=1"),
        new HttpHeader("Set-Cookie", "sid=2"), new HttpHeader("X-Api-Key", "k"), new HttpHeader("X-Auth-Token", "t"));
    List<HttpHeader> out = s.mask(in);
    assertEquals(new HttpHeader("Host", "h"), out.get(0));
    assertEquals("fp:" + s.fingerprint("tok123"), out.get(1).value(), "same as auth_token_fp");
    assertEquals("fp:" + s.fingerprint("Ym9iOnB3"), out.get(2).value());
    assertEquals("fp:" + s.fingerprint("sid=1"), out.get(3).value());
    for (int i = 1; i < out.size(); i++) {
      assertTrue(out.get(i).value().startsWith("fp:"), out.get(i).toString());
      assertEquals(in.get(i).name(), out.get(i).name());
    }
    assertEquals(in, new Secrets(SecretsOptions.of("k", true)).mask(in));
  }

  @Test
  void optionsSerializeAndHideTheKey() throws Exception {
    SecretsOptions o = SecretsOptions.of("my-key", true);
    ByteArrayOutputStream bo = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bo)) {
      out.writeObject(o);
    }
    Object back = new ObjectInputStream(new ByteArrayInputStream(bo.toByteArray())).readObject();
    assertEquals(o, back);
    assertFalse(o.toString().contains("my-key"));
  }
}
