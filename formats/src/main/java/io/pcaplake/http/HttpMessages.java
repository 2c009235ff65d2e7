package io.pcaplake.http;

import java.util.List;

final class HttpMessages {
  private HttpMessages() { }

  static String first(List<HttpHeader> headers, String name) {
    for (HttpHeader h : headers) {
      if (h.name().equalsIgnoreCase(name)) {
        return h.value();
      }
    }
    return null;
  }
}
