package io.pcaplake.synth;

/** Which end of a conversation sends. */
public enum Side {
  CLIENT, SERVER;

  public Side other() {
    return this == CLIENT ? SERVER : CLIENT;
  }
}
