package io.streamthings.devicemgmt.policies;

/** One target a policy is assigned to: kind TYPE, GROUP, ROLE or USER. */
public record AssignmentRow(String policyId, String kind, String target) {}
