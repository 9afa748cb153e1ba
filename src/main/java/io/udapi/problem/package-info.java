/**
 * Refusals of the management API (docs/api.md, "Errors of the management API").
 *
 * <p><b>Purpose.</b> {@code Reason} names every refusal; {@code Problem} is one entry of the error envelope
 * (reason, id, message and reason-specific fields); {@code Problems} is the factory that words every message in
 * one place; {@code ProblemException} carries a list of problems out of a service. The status of each reason is
 * decided in one table, {@code manage.ProblemStatus}.
 *
 * <p><b>Threading model.</b> Immutable values.
 *
 * <p><b>Error policy.</b> This package is the error policy: a refusal is a value listed in the answer, and
 * one request reports every problem it has. Messages never echo a secret or a password.
 */
package io.udapi.problem;
