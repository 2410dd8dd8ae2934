package io.kimiproxy.config;

import io.kimiproxy.core.util.Secret;

/**
 * The ledger and every store on PostgreSQL ({@code [storage] type = "postgres"}) instead of the
 * embedded SQLite file: what several instances of a team share.
 *
 * @param url      {@code postgresql://user:password@host:port/database}; a secret, since it may hold a password
 * @param poolSize connections this instance keeps open
 */
public record PostgresConfig(Secret url, int poolSize) {}
