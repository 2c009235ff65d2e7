package io.pcaplake.http;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Credential handling of the {@code http} table: keyed fingerprints, the {@code auth_*} columns and the masking of
 * credential header values. Not thread-safe (one per task/thread); cheap to create.
 *
 * <p>{@link #fingerprint}: HMAC-SHA256 with {@link SecretsOptions#key} over the UTF-8 bytes of the token, first 16
 * bytes, lower-case hex (32 characters). The token is the credentials part after the scheme word
 * ({@code Bearer abc} gives {@code abc}); {@code pcaplake fingerprint TOKEN} prints the same value.
 */
public final class Secrets {
  /** Prefix of a masked header value: {@code fp:<hex>}. */
  public static final String FP_PREFIX = "fp:";

  private final SecretsOptions options;
  private final Mac mac;

  public Secrets(SecretsOptions options) {
    this.options = options == null ? SecretsOptions.defaults() : options;
    try {
      mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(this.options.key(), "HmacSHA256"));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 unavailable", e);
    }
  }

  public SecretsOptions options() {
    return options;
  }

  /** Keyed fingerprint of a token: 32 lower-case hex characters. */
  public String fingerprint(String token) {
    return fingerprint(token.getBytes(StandardCharsets.UTF_8));
  }

  /** Keyed fingerprint of a token's bytes (a percent-decoded URL parameter may not be UTF-8). */
  public String fingerprint(byte[] token) {
    return hex(mac.doFinal(token), 16);
  }

  /**
   * A URI or URL ({@code uri}, {@code path}, {@code referer}, a Location value) with the value of every credential
   * parameter in its query or fragment ({@code access_token}, {@code api_key}, {@code X-Amz-Signature} ... see
   * {@code docs/http.md}) replaced by {@code fp:<fingerprint of the percent-decoded value>}; unchanged with
   * keepSecrets or when there is none (null stays null).
   */
  public String maskUrl(String url) {
    return options.keepSecrets() ? url : UrlSecrets.mask(url, false, this::fingerprint);
  }

  /** {@link #maskUrl} for a bare query string ({@code query} column: the part after {@code ?}). */
  public String maskQuery(String query) {
    return options.keepSecrets() ? query : UrlSecrets.mask(query, true, this::fingerprint);
  }

  /** The credentials part of an Authorization value: after the scheme word, trimmed; the whole value if one word. */
  public static String token(String authorizationValue) {
    String v = authorizationValue.strip();
    int sp = firstSpace(v);
    return sp < 0 ? v : v.substring(sp + 1).strip();
  }

  /** The {@code auth_*} columns of a request ({@link Credentials#NONE} without Authorization/Proxy-Authorization). */
  public Credentials credentials(HttpRequest request) {
    return request == null ? Credentials.NONE : credentials(request.authorization());
  }

  /** The {@code auth_*} columns of one Authorization (or Proxy-Authorization) value; NONE for null or blank. */
  public Credentials credentials(String authorizationValue) {
    if (authorizationValue == null || authorizationValue.isBlank()) {
      return Credentials.NONE;
    }
    String v = authorizationValue.strip();
    int sp = firstSpace(v);
    String scheme = sp < 0 ? null : v.substring(0, sp).toLowerCase(Locale.ROOT);
    String token = sp < 0 ? v : v.substring(sp + 1).strip();
    String fp = fingerprint(token);
    String user = null;
    String hint = hint(token);
    Long exp = null;
    Long iat = null;
    if ("basic".equals(scheme)) {
      hint = null;
      user = basicUser(token);
    } else if ("digest".equals(scheme)) {
      hint = null;
      user = Jwt.digestUser(token);
    } else {
      Jwt jwt = Jwt.parse(token);
      if (jwt != null) {
        user = jwt.sub();
        exp = jwt.expMicros();
        iat = jwt.iatMicros();
      }
    }
    return new Credentials(scheme, user, fp, hint, exp, iat);
  }

  /**
   * A header as stored in the table: unchanged unless {@link HttpHeader#isSensitive} and not keepSecrets; then the
   * value becomes {@code fp:<fingerprint>} of the token after the scheme word for Authorization and
   * Proxy-Authorization (so it equals {@code auth_token_fp}), of the whole value for the others. Any other header
   * (Referer, Location, Refresh ...) gets {@link #maskUrl}: credential URL parameters in its value are masked.
   */
  public HttpHeader mask(HttpHeader h) {
    if (options.keepSecrets()) {
      return h;
    }
    if (!HttpHeader.isSensitive(h.name())) {
      String v = h.value() == null ? null : maskUrl(h.value());
      return v == h.value() ? h : new HttpHeader(h.name(), v);
    }
    String n = h.name().strip().toLowerCase(Locale.ROOT);
    String v = h.value() == null ? "" : h.value();
    String t = n.equals("authorization") || n.equals("proxy-authorization") ? token(v) : v;
    return new HttpHeader(h.name(), FP_PREFIX + fingerprint(t));
  }

  /** {@link #mask} over a header list (wire order kept); null stays null. */
  public List<HttpHeader> mask(List<HttpHeader> headers) {
    if (headers == null) {
      return null;
    }
    if (options.keepSecrets()) {
      return List.copyOf(headers);
    }
    List<HttpHeader> out = new ArrayList<>(headers.size());
    for (HttpHeader h : headers) {
      out.add(mask(h));
    }
    return List.copyOf(out);
  }

  static String hint(String token) {
    int n = Math.min(4, token.length() / 4);
    return n <= 0 ? null : token.substring(token.length() - n);
  }

  static String basicUser(String b64) {
    try {
      String s = new String(Base64.getMimeDecoder().decode(b64), StandardCharsets.UTF_8);
      int colon = s.indexOf(':');
      return colon < 0 ? null : s.substring(0, colon);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  private static int firstSpace(String v) {
    for (int i = 0; i < v.length(); i++) {
      char c = v.charAt(i);
      if (c == ' ' || c == '\t') {
        return i;
      }
    }
    return -1;
  }

  private static final char[] HEX = "0123456789abcdef".toCharArray();

  static String hex(byte[] b, int n) {
    char[] c = new char[2 * n];
    for (int i = 0; i < n; i++) {
      c[2 * i] = HEX[(b[i] >> 4) & 15];
      c[2 * i + 1] = HEX[b[i] & 15];
    }
    return new String(c);
  }
}
