package io.pcaplake.http;

/** Receives what an {@link HttpConnection} finds, in order. */
public interface HttpListener {
  void exchange(HttpExchange exchange);

  default void anomaly(HttpAnomaly anomaly) { }
}
