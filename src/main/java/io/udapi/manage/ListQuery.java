package io.udapi.manage;

import io.udapi.problem.ProblemException;
import io.udapi.problem.Problems;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Paging and sorting of a list endpoint, validated at the boundary: {@code sort} is a known field with
 * an optional {@code -} for descending, {@code page} from 0, {@code size} 1..1000 (default 50).
 */
record ListQuery<T>(Comparator<T> order, int page, int size) {

    static final int DEFAULT_SIZE = 50;
    static final int MAX_SIZE = 1000;

    static <T> ListQuery<T> parse(String sort, String page, String size, String defaultSort,
                                 Map<String, Comparator<T>> sortable, Comparator<T> tieBreak) {
        String field = sort == null || sort.isEmpty() ? defaultSort : sort;
        boolean descending = field.startsWith("-");
        String name = descending ? field.substring(1) : field;
        Comparator<T> order = sortable.get(name);
        if (order == null) {
            throw new ProblemException(Problems.malformed("unknown sort field '" + name + "'; allowed: "
                    + sortable.keySet().stream().sorted().toList()));
        }
        order = order.thenComparing(tieBreak);
        int pageNumber = QueryParams.integer("page", page, 0, 0, Integer.MAX_VALUE);
        int pageSize = QueryParams.integer("size", size, DEFAULT_SIZE, 1, MAX_SIZE);
        return new ListQuery<>(descending ? order.reversed() : order, pageNumber, pageSize);
    }

    /** The page of {@code all} this query selects, and the total before paging. */
    Page<T> apply(List<T> all) {
        List<T> sorted = all.stream().sorted(order).toList();
        long from = (long) page * size;
        List<T> items = from >= sorted.size() ? List.of()
                : sorted.subList((int) from, (int) Math.min(sorted.size(), from + size));
        return new Page<>(items, sorted.size());
    }

    record Page<T>(List<T> items, int total) {
        <R> Page<R> map(java.util.function.Function<T, R> mapper) {
            return new Page<>(items.stream().map(mapper).toList(), total);
        }
    }

    static <T, U extends Comparable<? super U>> Comparator<T> nullsLast(java.util.function.Function<T, U> key) {
        return Comparator.comparing(key, Comparator.nullsLast(Comparator.naturalOrder()));
    }

    static Optional<Boolean> bool(String name, String value) {
        return QueryParams.bool(name, value);
    }
}
