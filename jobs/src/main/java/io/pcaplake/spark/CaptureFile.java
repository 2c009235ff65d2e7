package io.pcaplake.spark;

import java.io.Serializable;

/** One listed input file: its fully qualified path and its length on disk. */
record CaptureFile(String path, long length) implements Serializable { }
