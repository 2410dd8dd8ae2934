package io.kimiproxy.proxy.resilience;

/**
 * A provider's breaker and cool-down on one instance of a team: this instance's own
 * {@link LocalBreakerState}, whose openings, closings and cool-downs the others hear of (through
 * {@link TeamBreakers}), and theirs applied here. While another instance's breaker is open this
 * one refuses the provider too, until that breaker's probe is due; then each instance's own rules
 * apply again (a failure of a breaker-closed instance counts as usual). Another instance's probe
 * that got through closes this breaker; another instance's cool-down holds calls back here too.
 */
final class SharedBreakerState implements BreakerState {
  private final String provider;
  private final BreakerState local;
  private final TeamBreakers team;
  /** Until when another instance has the breaker open (epoch ms; 0: not). */
  private volatile long teamOpenUntilMs;

  SharedBreakerState(String provider, BreakerState local, TeamBreakers team) {
    this.provider = provider;
    this.local = local;
    this.team = team;
  }

  @Override
  public Phase phase(long nowMs) {
    Phase own = local.phase(nowMs);
    return own == Phase.CLOSED && nowMs < teamOpenUntilMs ? Phase.OPEN : own;
  }

  @Override
  public Admission admit(long nowMs) {
    return local.phase(nowMs) == Phase.CLOSED && nowMs < teamOpenUntilMs ? Admission.REFUSED : local.admit(nowMs);
  }

  @Override
  public void succeeded(long nowMs, boolean probe) {
    Phase before = local.phase(nowMs);
    local.succeeded(nowMs, probe);
    if (before != Phase.CLOSED && local.phase(nowMs) == Phase.CLOSED) team.closed(provider);
  }

  @Override
  public void failed(long nowMs, boolean probe) {
    Phase before = local.phase(nowMs);
    local.failed(nowMs, probe);
    if (before != Phase.OPEN && local.phase(nowMs) == Phase.OPEN) team.opened(provider, local.probeAtMs());
  }

  @Override
  public void abandoned(boolean probe) {
    local.abandoned(probe);
  }

  @Override
  public boolean reset() {
    boolean teamOpen = teamOpenUntilMs > System.currentTimeMillis();
    teamOpenUntilMs = 0;
    boolean wasOpen = local.reset() || teamOpen;
    if (wasOpen) team.closed(provider);
    return wasOpen;
  }

  @Override
  public long probeAtMs() {
    long own = local.probeAtMs();
    return own != 0 ? own : teamOpenUntilMs > System.currentTimeMillis() ? teamOpenUntilMs : 0;
  }

  @Override
  public void coolDown(long untilMs) {
    local.coolDown(untilMs);
    team.cooledDown(provider, untilMs);
  }

  @Override
  public long coolingUntilMs() {
    return local.coolingUntilMs();
  }

  /** Another instance's breaker opened, to probe at {@code probeAtMs}. */
  void openedByTeam(long probeAtMs) {
    teamOpenUntilMs = Math.max(teamOpenUntilMs, probeAtMs);
  }

  /** Another instance's breaker closed: the provider answers again. */
  void closedByTeam(long nowMs) {
    teamOpenUntilMs = 0;
    if (local.phase(nowMs) != Phase.CLOSED) local.succeeded(nowMs, true);
  }

  void cooledByTeam(long untilMs) {
    local.coolDown(untilMs);
  }
}
