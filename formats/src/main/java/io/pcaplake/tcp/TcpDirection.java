package io.pcaplake.tcp;

/** Which way bytes flow, after the reassembler decided who is the client ({@link ConnectionInfo#roleDecision}). */
public enum TcpDirection {
  CLIENT_TO_SERVER, SERVER_TO_CLIENT;

  public boolean fromClient() {
    return this == CLIENT_TO_SERVER;
  }
}
