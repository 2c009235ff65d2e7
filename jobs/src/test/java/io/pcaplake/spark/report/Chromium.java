package io.pcaplake.spark.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * Headless Chromium driven over the DevTools protocol with nothing but the JDK ({@code java.net.http.WebSocket}) and
 * Jackson (on the test classpath through Spark). Starts {@code /usr/bin/chromium} with a fresh profile and
 * {@code --remote-debugging-port=0}, reads the port from {@code DevToolsActivePort}, attaches to the first page
 * target, enables Runtime, Log and Page, and records console errors, uncaught exceptions and error log entries.
 * {@link #close()} ends Chromium and every process it started (the Debian launcher is a shell script) and deletes
 * the profile.
 */
final class Chromium implements AutoCloseable {
  static final Path BINARY = Path.of(System.getenv().getOrDefault("PCAPLAKE_CHROMIUM", "/usr/bin/chromium"));
  private static final Duration TIMEOUT = Duration.ofSeconds(60);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Process process;
  private final Path profile;
  private final WebSocket socket;
  private final AtomicInteger ids = new AtomicInteger();
  private final Map<Integer, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
  private final BlockingQueue<JsonNode> events = new LinkedBlockingQueue<>();
  private final List<String> errors = java.util.Collections.synchronizedList(new ArrayList<>());

  private Chromium(Process process, Path profile, WebSocket socket) {
    this.process = process;
    this.profile = profile;
    this.socket = socket;
  }

  /** Starts Chromium and attaches to its page; throws with Chromium's output when it cannot. */
  static Chromium start() throws IOException, InterruptedException {
    Path profile = Files.createTempDirectory("pcaplake-chromium");
    Path log = profile.resolve("chromium.log");
    Process p = new ProcessBuilder(BINARY.toString(), "--headless", "--no-sandbox", "--disable-gpu",
        "--disable-quic", "--no-first-run", "--no-default-browser-check", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--disable-extensions", "--user-data-dir=" + profile,
        "--remote-debugging-address=127.0.0.1", "--remote-debugging-port=0", "about:blank")
        .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    try {
      Path portFile = profile.resolve("DevToolsActivePort");
      long deadline = System.nanoTime() + TIMEOUT.toNanos();
      while (!Files.exists(portFile) || Files.readAllLines(portFile).isEmpty()) {
        if (!p.isAlive() || System.nanoTime() > deadline) {
          throw new IOException("chromium did not start (" + (p.isAlive() ? "timeout" : "exit " + p.exitValue())
              + "): " + Files.readString(log));
        }
        Thread.sleep(100);
      }
      int port = Integer.parseInt(Files.readAllLines(portFile).get(0).trim());
      HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
      String wsUrl = null;
      while (wsUrl == null) {
        JsonNode targets = JSON.readTree(http.send(HttpRequest.newBuilder(
            URI.create("http://127.0.0.1:" + port + "/json/list")).timeout(TIMEOUT).build(),
            HttpResponse.BodyHandlers.ofString()).body());
        for (JsonNode t : targets) {
          if ("page".equals(t.path("type").asText())) {
            wsUrl = t.path("webSocketDebuggerUrl").asText();
            break;
          }
        }
        if (wsUrl == null) {
          if (System.nanoTime() > deadline) {
            throw new IOException("chromium has no page target: " + targets);
          }
          Thread.sleep(100);
        }
      }
      Listener listener = new Listener();
      WebSocket ws = http.newWebSocketBuilder().connectTimeout(TIMEOUT).buildAsync(URI.create(wsUrl), listener)
          .get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
      Chromium c = new Chromium(p, profile, ws);
      listener.owner = c;
      c.call("Runtime.enable", null);
      c.call("Log.enable", null);
      c.call("Page.enable", null);
      return c;
    } catch (IOException | InterruptedException | RuntimeException e) {
      destroy(p);
      delete(profile);
      throw e;
    } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
      destroy(p);
      delete(profile);
      throw new IOException("cannot attach to chromium: " + e, e);
    }
  }

  /** Sends a command and waits for its result. */
  JsonNode call(String method, ObjectNode params) throws IOException {
    int id = ids.incrementAndGet();
    ObjectNode msg = JSON.createObjectNode().put("id", id).put("method", method);
    if (params != null) {
      msg.set("params", params);
    }
    CompletableFuture<JsonNode> f = new CompletableFuture<>();
    pending.put(id, f);
    socket.sendText(JSON.writeValueAsString(msg), true).join();
    try {
      JsonNode r = f.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
      if (r.has("error")) {
        throw new IOException(method + ": " + r.get("error"));
      }
      return r.path("result");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(method + " interrupted", e);
    } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
      throw new IOException(method + ": no answer in " + TIMEOUT, e);
    }
  }

  /** Navigates and waits for the load event. */
  void navigate(String url) throws IOException, InterruptedException {
    events.clear();
    JsonNode r = call("Page.navigate", JSON.createObjectNode().put("url", url));
    if (r.hasNonNull("errorText")) {
      throw new IOException("navigate " + url + ": " + r.get("errorText"));
    }
    long deadline = System.nanoTime() + TIMEOUT.toNanos();
    while (true) {
      JsonNode e = events.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      if (e == null) {
        throw new IOException("no load event for " + url);
      }
      if ("Page.loadEventFired".equals(e.path("method").asText())) {
        return;
      }
    }
  }

  /** Evaluates a JavaScript expression in the page; its value, JSON-converted. */
  JsonNode evaluate(String expression) throws IOException {
    JsonNode r = call("Runtime.evaluate", JSON.createObjectNode().put("expression", expression)
        .put("returnByValue", true));
    if (r.has("exceptionDetails")) {
      throw new IOException("evaluate failed: " + r.get("exceptionDetails"));
    }
    return r.path("result").path("value");
  }

  /** Console errors, uncaught exceptions and error log entries seen so far. */
  List<String> errors() {
    return List.copyOf(errors);
  }

  private void onMessage(JsonNode m) {
    if (m.has("id")) {
      CompletableFuture<JsonNode> f = pending.remove(m.get("id").asInt());
      if (f != null) {
        f.complete(m);
      }
      return;
    }
    String method = m.path("method").asText();
    JsonNode p = m.path("params");
    switch (method) {
      case "Runtime.consoleAPICalled" -> {
        if ("error".equals(p.path("type").asText()) || "assert".equals(p.path("type").asText())) {
          errors.add("console." + p.path("type").asText() + ": " + p.path("args"));
        }
      }
      case "Runtime.exceptionThrown" -> errors.add("exception: " + p.path("exceptionDetails"));
      case "Log.entryAdded" -> {
        if ("error".equals(p.path("entry").path("level").asText())) {
          errors.add("log: " + p.path("entry").path("text").asText() + " " + p.path("entry").path("url").asText());
        }
      }
      default -> { }
    }
    events.add(m);
  }

  private static final class Listener implements WebSocket.Listener {
    volatile Chromium owner;
    private final StringBuilder text = new StringBuilder();

    @Override
    public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
      text.append(data);
      if (last) {
        try {
          JsonNode m = JSON.readTree(text.toString());
          if (owner != null) {
            owner.onMessage(m);
          }
        } catch (IOException e) {
          if (owner != null) {
            owner.errors.add("bad DevTools message: " + e);
          }
        }
        text.setLength(0);
      }
      ws.request(1);
      return null;
    }
  }

  @Override
  public void close() {
    try {
      socket.abort();
    } finally {
      destroy(process);
      delete(profile);
    }
  }

  private static void destroy(Process p) {
    List<ProcessHandle> all = new ArrayList<>(p.descendants().toList());
    all.forEach(ProcessHandle::destroy);
    p.destroy();
    try {
      if (!p.waitFor(10, TimeUnit.SECONDS)) {
        p.destroyForcibly();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    all.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
  }

  private static void delete(Path dir) {
    try (Stream<Path> s = Files.walk(dir)) {
      s.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
    } catch (IOException e) {
      // best effort: a temp dir
    }
  }
}
