package io.udapi.problem;

import java.util.List;

/**
 * Carries one or more problems out of the management services to the single mapper that turns them
 * into an error body. Management refusals travel as this exception because JAX-RS resources return
 * their success value; the trigger path, which is hot, uses plain values instead.
 */
public final class ProblemException extends RuntimeException {

    private final transient List<Problem> problems;

    public ProblemException(List<Problem> problems) {
        super(problems.isEmpty() ? "no problem" : problems.get(0).message(), null, false, false);
        if (problems.isEmpty()) {
            throw new IllegalArgumentException("a ProblemException needs at least one problem");
        }
        this.problems = List.copyOf(problems);
    }

    public ProblemException(Problem problem) {
        this(List.of(problem));
    }

    public List<Problem> problems() {
        return problems;
    }
}
