package io.udapi.manage;

import io.udapi.problem.Problem;
import io.udapi.problem.ProblemException;
import java.util.List;
import java.util.function.Function;

/**
 * What parsing and validating a request body gives: the request as a value that passed every rule, or every
 * problem found, never both and never a partial list (docs/api.md, "Errors of the management API": one
 * answer lists every mistake).
 * {@link #orThrow()} hands the problems to {@link ProblemMappers} at the resource's boundary.
 *
 * @param value the valid request; null exactly when {@code problems} is not empty
 * @param problems what is wrong, in the order found; empty when valid
 */
record Validated<T>(T value, List<Problem> problems) {

    Validated {
        problems = List.copyOf(problems);
        if (problems.isEmpty() == (value == null)) {
            throw new IllegalArgumentException("a value or problems, exactly one of them");
        }
    }

    static <T> Validated<T> valid(T value) {
        return new Validated<>(value, List.of());
    }

    static <T> Validated<T> refused(List<Problem> problems) {
        return new Validated<>(null, problems);
    }

    /** The value when {@code problems} is empty (then {@code value} must not be null), else the problems. */
    static <T> Validated<T> of(List<Problem> problems, java.util.function.Supplier<T> value) {
        return problems.isEmpty() ? valid(value.get()) : refused(problems);
    }

    <R> Validated<R> map(Function<T, R> next) {
        return problems.isEmpty() ? valid(next.apply(value)) : refused(problems);
    }

    T orThrow() {
        if (!problems.isEmpty()) {
            throw new ProblemException(problems);
        }
        return value;
    }
}
