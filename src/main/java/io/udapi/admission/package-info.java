/**
 * Bounded admission: a fixed number of permits and a bounded queue in front of expensive work.
 *
 * <p><b>Purpose.</b> {@link io.udapi.admission.Admission} is the one admission control of udapi: at most
 * {@code permits} tasks run, at most {@code queueLimit} wait, the rest are refused at once. It answers
 * {@link io.udapi.admission.Ticket} values (Started, Queued, Busy). Its users: the Argon2 gates of token secrets
 * ({@code udapi.secrets.max-verifications}, {@code verification-queue}) and admin passwords
 * ({@code udapi.admin.*}), through {@code secret.VerificationGate}, and both script engines
 * ({@code udapi.script.max-concurrency}, {@code max-queue}); see docs/architecture.md, "Threading", and
 * docs/configuration.md. Pure Java: no framework types and no other udapi package, so every feature package may
 * use it without a cycle.
 *
 * <p><b>Threading model.</b> Lock-free and non-blocking: {@code tryEnter} and {@code Permit.release} may be
 * called from any thread, event loops included, concurrently. Counters are compare-and-set below their bound,
 * waiting tasks sit in a lock-free queue, and the invariant (running ≤ permits, queued ≤ queueLimit, no task
 * waits while a permit is free) is stated in prose above the code and checked by the jcstress tests in
 * {@code src/jcstress/java/io/udapi/admission}. The starter runs on the thread that entered or released.
 *
 * <p><b>Error policy.</b> A full admission is {@link io.udapi.admission.Ticket.Busy}, a value, never an
 * exception. Exceptions are programming errors (bounds out of range, a null task) or come from the caller's own
 * starter, in which case the permit is released first so that nothing leaks.
 */
package io.udapi.admission;
