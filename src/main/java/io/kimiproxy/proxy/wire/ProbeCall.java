package io.kimiproxy.proxy.wire;

import io.vertx.core.MultiMap;

/** An authenticated GET a provider answers cheaply (its models list): how diagnostics reach it. */
public record ProbeCall(String path, MultiMap headers) {}
