package io.steward.server.api;

import java.util.List;

/** Account names locked out from an address now, and names attacked from many addresses. */
public record SignInLockouts(List<SignInLockout> items, List<TargetedAccount> targeted) {}
