package io.pcaplake.http;

/**
 * The credential columns of one request, from its Authorization header (else Proxy-Authorization). All null when
 * the request carries neither.
 *
 * @param scheme {@code auth_scheme}: the scheme word lower-cased ({@code bearer}, {@code basic}, {@code digest} ...),
 *     null when the value is a single word (a bare API key: then the whole value is the token)
 * @param user {@code auth_user}: Basic user name, Digest {@code username}, or JWT {@code sub} of a bearer JWT
 * @param tokenFp {@code auth_token_fp}: {@link Secrets#fingerprint} of the credentials after the scheme word
 * @param tokenHint {@code auth_token_hint}: the token's last {@code min(4, length/4)} characters; null for Basic and
 *     Digest (their tail encodes the password / a hash), or for a token under 4 characters
 * @param jwtExp {@code auth_jwt_exp}: JWT {@code exp}, µs since the epoch, or null
 * @param jwtIat {@code auth_jwt_iat}: JWT {@code iat}, µs since the epoch, or null
 */
public record Credentials(String scheme, String user, String tokenFp, String tokenHint, Long jwtExp, Long jwtIat) {
  public static final Credentials NONE = new Credentials(null, null, null, null, null, null);
}
