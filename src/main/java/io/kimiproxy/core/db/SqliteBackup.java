package io.kimiproxy.core.db;

import io.kimiproxy.core.util.PrivateFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;

/**
 * A consistent copy of a live database with {@code VACUUM INTO}: SQLite reads one snapshot while
 * the proxy keeps writing (WAL). Blocking; for the command line, never for an event loop.
 */
public final class SqliteBackup {
  private SqliteBackup() {}

  public static void copy(Path database, Path target) throws SQLException, java.io.IOException {
    if (!Files.exists(database)) throw new java.io.FileNotFoundException("no database at " + database);
    // Created empty and 0600 first (VACUUM INTO fills an empty file): the copy holds every prompt.
    PrivateFiles.newFile(target);
    try (Connection conn = Database.dataSource(database).getConnection();
         PreparedStatement statement = conn.prepareStatement("VACUUM INTO ?")) {
      statement.setString(1, target.toAbsolutePath().toString());
      statement.execute();
    } catch (SQLException e) {
      Files.deleteIfExists(target);
      throw e;
    }
  }
}
