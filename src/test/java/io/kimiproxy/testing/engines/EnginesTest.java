package io.kimiproxy.testing.engines;

import io.kimiproxy.testing.TestVertx;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Command;
import io.vertx.sqlclient.Pool;
import io.kimiproxy.testing.TestProxy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The harness itself: both engines start, answer, restart, and come back after a kill. */
class EnginesTest {
  @RegisterExtension static final PostgresEngine PG = new PostgresEngine();
  @RegisterExtension static final RedisEngine REDIS = new RedisEngine();

  @Test
  void should_serve_queries_before_and_after_a_postgres_restart() {
    Vertx vertx = TestVertx.create();
    try {
      String url = PG.newDatabase();
      Pool pool = PgBuilder.pool().connectingTo(PgConnectOptions.fromUri(url)).using(vertx).build();
      assertEquals(1, TestProxy.await(pool.query("SELECT 1 AS one").execute()).iterator().next().getInteger("one"));
      PG.restart();
      assertEquals(2, TestProxy.await(pool.query("SELECT 2 AS two").execute()
          .recover(e -> pool.query("SELECT 2 AS two").execute())).iterator().next().getInteger("two"));
      assertTrue(PG.version().startsWith("1"));
    } finally {
      TestProxy.await(vertx.close());
    }
  }

  @Test
  void should_answer_redis_commands_after_a_kill_and_start() {
    Vertx vertx = TestVertx.create();
    try {
      Redis redis = Redis.createClient(vertx, REDIS.url());
      TestProxy.await(redis.send(Request.cmd(Command.SET).arg("k").arg("v")));
      REDIS.kill();
      REDIS.start();
      assertEquals("PONG", TestProxy.await(redis.send(Request.cmd(Command.PING))
          .recover(e -> redis.send(Request.cmd(Command.PING)))).toString());
    } finally {
      TestProxy.await(vertx.close());
    }
  }
}
