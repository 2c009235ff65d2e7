package io.pcaplake.http;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Body extraction ({@code --extract-bodies DIR}): every decoded request and response body streamed to its own file in
 * one flat folder, named like tcpflow's {@code <flow>-HTTPBODY-NNN.<ext>}:
 * <ul>
 *   <li>response bodies {@code <flow_id>-HTTPBODY-<NNN>.<ext>}, request bodies {@code <flow_id>-HTTPREQBODY-<NNN>.<ext>};</li>
 *   <li>{@code <flow_id>} the connection's {@code flow_id} (32 hex characters; any other id is replaced by the hex
 *       SHA-256 prefix of it), {@code <NNN>} the {@code exchange_index}, at least 3 digits, so a file joins its
 *       {@code http} row on (flow_id, exchange_index);</li>
 *   <li>{@code <ext>} from the media type of Content-Type through a fixed map ({@link #extension}), {@code bin}
 *       otherwise.</li>
 * </ul>
 * The name is built only from those validated parts: nothing from the URI, Content-Disposition or any other header
 * reaches it, so it never holds {@code /}, {@code \}, {@code ..}, NUL or a drive letter, is at most
 * {@link #MAX_NAME} characters, and every file lands directly inside DIR ({@link #isSafeName} is checked again
 * before each create).
 */
public final class BodyFiles {
  private BodyFiles() { }

  /** Creates one body file by its (safe) name inside the extraction folder. */
  @FunctionalInterface
  public interface Opener {
    OutputStream create(String fileName) throws IOException;
  }

  /** Longest name {@link #name} can build. */
  public static final int MAX_NAME = 80;

  private static final Pattern SAFE = Pattern.compile("[0-9a-f]{32}-HTTP(REQ)?BODY-[0-9]{3,10}\\.[a-z0-9]{1,10}");
  private static final Pattern FLOW_ID = Pattern.compile("[0-9a-f]{32}");

  /** Media type (lower-case, parameters dropped) to extension. Suffixes {@code +json} / {@code +xml} map too. */
  static final Map<String, String> EXTENSIONS = Map.ofEntries(
      Map.entry("text/html", "html"), Map.entry("application/xhtml+xml", "html"), Map.entry("text/plain", "txt"),
      Map.entry("text/css", "css"), Map.entry("text/csv", "csv"), Map.entry("text/javascript", "js"),
      Map.entry("application/javascript", "js"), Map.entry("application/x-javascript", "js"),
      Map.entry("application/json", "json"), Map.entry("application/xml", "xml"), Map.entry("text/xml", "xml"),
      Map.entry("image/png", "png"), Map.entry("image/jpeg", "jpg"), Map.entry("image/gif", "gif"),
      Map.entry("image/webp", "webp"), Map.entry("image/svg+xml", "svg"), Map.entry("image/x-icon", "ico"),
      Map.entry("image/vnd.microsoft.icon", "ico"), Map.entry("application/pdf", "pdf"),
      Map.entry("application/zip", "zip"), Map.entry("application/gzip", "gz"),
      Map.entry("application/x-gzip", "gz"), Map.entry("application/octet-stream", "bin"),
      Map.entry("application/x-www-form-urlencoded", "form"), Map.entry("multipart/form-data", "multipart"),
      Map.entry("video/mp4", "mp4"), Map.entry("audio/mpeg", "mp3"), Map.entry("font/woff", "woff"),
      Map.entry("font/woff2", "woff2"), Map.entry("application/wasm", "wasm"),
      Map.entry("application/x-protobuf", "pb"), Map.entry("application/grpc", "grpc"));

  /** The file name of one body; safe by construction. */
  public static String name(String flowId, int exchangeIndex, boolean request, String contentType) {
    if (exchangeIndex < 0) {
      throw new IllegalArgumentException("exchange index " + exchangeIndex);
    }
    String flow = flowId != null && FLOW_ID.matcher(flowId).matches() ? flowId : hashed(flowId);
    String n = flow + (request ? "-HTTPREQBODY-" : "-HTTPBODY-") + String.format(Locale.ROOT, "%03d", exchangeIndex)
        + "." + extension(contentType);
    if (!isSafeName(n)) {
      throw new IllegalStateException("unsafe body file name " + n);
    }
    return n;
  }

  /** The extension for a Content-Type value: the fixed map on its media type, {@code bin} for anything else. */
  public static String extension(String contentType) {
    if (contentType == null) {
      return "bin";
    }
    int semi = contentType.indexOf(';');
    String media = (semi < 0 ? contentType : contentType.substring(0, semi)).strip().toLowerCase(Locale.ROOT);
    String ext = EXTENSIONS.get(media);
    if (ext != null) {
      return ext;
    }
    if (media.endsWith("+json")) {
      return "json";
    }
    if (media.endsWith("+xml")) {
      return "xml";
    }
    return "bin";
  }

  /** True for exactly the names {@link #name} builds (one path segment, ASCII letters, digits, {@code -} and one dot). */
  public static boolean isSafeName(String n) {
    return n != null && n.length() <= MAX_NAME && SAFE.matcher(n).matches();
  }

  /**
   * An opener writing into a local folder (created if missing). Refuses unsafe names, and a name that resolves
   * outside the folder or onto an existing symbolic link; replaces an existing regular file (a re-run).
   */
  public static Opener directory(Path dir) throws IOException {
    Path root = Files.createDirectories(dir).toRealPath();
    return name -> {
      if (!isSafeName(name)) {
        throw new IOException("unsafe body file name refused: " + name);
      }
      Path f = root.resolve(name).normalize();
      if (!Objects.equals(f.getParent(), root) || Files.isSymbolicLink(f)) {
        throw new IOException("body file outside " + root + " refused: " + name);
      }
      return new BufferedOutputStream(Files.newOutputStream(f, LinkOption.NOFOLLOW_LINKS, StandardOpenOption.CREATE,
          StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE), 64 * 1024);
    };
  }

  private static String hashed(String id) {
    try {
      byte[] d = MessageDigest.getInstance("SHA-256").digest(String.valueOf(id).getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(d, 0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
