package io.kimiproxy.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** What the numbers were measured on: a benchmark without its machine and its load means little. */
record Machine(int cores, String cpu, long memoryMib, String java) {

  static Machine describe() {
    return new Machine(Runtime.getRuntime().availableProcessors(),
        firstValue(Path.of("/proc/cpuinfo"), "model name", "unknown CPU"),
        parseLong(firstValue(Path.of("/proc/meminfo"), "MemTotal", "0 kB")) / 1024,
        System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version")
            + " (" + System.getProperty("java.vm.vendor") + ")");
  }

  /** The 1, 5 and 15 minute load averages, as /proc/loadavg gives them. */
  static String loadAverage() {
    try {
      String[] parts = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
      return parts[0] + " " + parts[1] + " " + parts[2];
    } catch (IOException e) {
      return "unknown";
    }
  }

  /**
   * Shares of the machine's CPU capacity used, between a start and an end, by the bench JVM, the
   * proxy and everything else: the "everything else" says how much the numbers were disturbed.
   */
  record CpuShare(double bench, double proxy, double others) {

    /** Marks the start: {machine busy, machine total, bench} ticks. */
    static long[] mark() throws IOException {
      long[] machine = machineTicks();
      return new long[] {machine[0], machine[1], processTicks(ProcessHandle.current().pid())};
    }

    /** @param proxyPid a process started after {@code start}, still running */
    static CpuShare since(long[] start, long proxyPid) throws IOException {
      long[] machine = machineTicks();
      double total = machine[1] - start[1];
      long bench = processTicks(ProcessHandle.current().pid()) - start[2];
      long proxy = processTicks(proxyPid);
      long busy = machine[0] - start[0];
      return new CpuShare(bench / total, proxy / total, Math.max(0, busy - bench - proxy) / total);
    }
  }

  /** The machine's CPU time so far, in clock ticks summed over all cores: {busy, total}. */
  private static long[] machineTicks() throws IOException {
    String[] cpu = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
    long total = 0;
    for (int i = 1; i < cpu.length && i <= 8; i++) total += Long.parseLong(cpu[i]); // user .. steal
    long idle = Long.parseLong(cpu[4]) + Long.parseLong(cpu[5]); // idle + iowait
    return new long[] {total - idle, total};
  }

  /** /proc counts CPU time in USER_HZ ticks, which Linux fixes at 100 a second for user space. */
  static final int TICKS_PER_SECOND = 100;

  /** A process's CPU time so far (user + system), in clock ticks. */
  static long processTicks(long pid) throws IOException {
    String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
    // Fields after the command name, which is in parentheses and may hold spaces: utime and stime are 14th and 15th.
    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
  }

  private static String firstValue(Path file, String key, String otherwise) {
    try {
      List<String> lines = Files.readAllLines(file);
      for (String line : lines) {
        if (line.startsWith(key)) return line.substring(line.indexOf(':') + 1).trim();
      }
    } catch (IOException e) {
      // not Linux: say so in the report rather than fail the run
    }
    return otherwise;
  }

  private static long parseLong(String text) {
    String digits = text.replaceAll("[^0-9]", "");
    return digits.isEmpty() ? 0 : Long.parseLong(digits);
  }
}
